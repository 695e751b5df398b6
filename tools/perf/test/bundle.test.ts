import type { Metafile } from 'esbuild';
import { analyseOutput, packageOf } from '../src/bundle';

describe('bundle composition from the esbuild metafile', () => {
  it('names the package of an input, or the project folder', () => {
    expect(packageOf('../../node_modules/@aws-sdk/client-dynamodb/dist-es/index.js')).toBe('@aws-sdk/client-dynamodb');
    expect(packageOf('node_modules/zod/v4/core/schemas.js')).toBe('zod');
    expect(packageOf('node_modules/a/node_modules/b/x.js')).toBe('b');
    expect(packageOf('../../shared/src/errors.ts')).toBe('project:shared/src');
    expect(packageOf('src/handlers/getOrder.ts')).toBe('project:src');
  });

  it('adds bytes per package, largest first, leaving out inputs with nothing in the output', () => {
    const metafile = {
      inputs: {},
      outputs: {
        'out/x.js': {
          bytes: 600,
          exports: [],
          imports: [],
          entryPoint: 'x.ts',
          inputs: {
            'node_modules/zod/a.js': { bytesInOutput: 100 },
            'node_modules/zod/b.js': { bytesInOutput: 300 },
            'node_modules/@smithy/core/c.js': { bytesInOutput: 200 },
            'node_modules/unused/d.js': { bytesInOutput: 0 },
          },
        },
      },
    } as unknown as Metafile;
    const { packages, inputs } = analyseOutput(metafile, 'out/x.js');
    expect(packages).toEqual([
      { name: 'zod', bytes: 400 },
      { name: '@smithy/core', bytes: 200 },
    ]);
    expect(inputs[0]).toEqual({ name: 'node_modules/zod/b.js', bytes: 300 });
    expect(inputs).toHaveLength(3);
    expect(() => analyseOutput(metafile, 'nope.js')).toThrow(/not in the metafile/);
  });
});
