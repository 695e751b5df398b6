import { naiveOptions, projectOptions, serverlessEsbuildOptions } from '../src/esbuild-settings';

describe('esbuild options as serverless-esbuild derives them', () => {
  it('drops plugin-only keys, turns exclude into external and the extension into outExtension', () => {
    const options = serverlessEsbuildOptions({ minify: true, packager: 'npm', exclude: ['a'], external: ['b'], outputFileExtension: '.mjs', format: 'esm' });
    expect(options).toMatchObject({ bundle: true, platform: 'node', target: 'node22', minify: true, format: 'esm', external: ['b', 'a'], outExtension: { '.js': '.mjs' } });
    expect(options).not.toHaveProperty('packager');
    expect(options).not.toHaveProperty('exclude');
    expect(options).not.toHaveProperty('outputFileExtension');
  });

  it("keeps serverless-esbuild's default exclude of aws-sdk (v2) unless the settings replace it", () => {
    expect(serverlessEsbuildOptions({}).external).toEqual(['aws-sdk']);
    expect(serverlessEsbuildOptions({ exclude: ['*'] }).external).toEqual([]);
  });

  it('reads the shared settings the services build with', () => {
    const options = projectOptions();
    expect(options.bundle).toBe(true);
    expect(options.platform).toBe('node');
  });

  it('the naive build is esbuild with its defaults for a Node bundle', () => {
    expect(naiveOptions()).toEqual({ bundle: true, platform: 'node', target: 'node22' });
  });
});

describe('the shared esbuild plugins', () => {
  it('are loaded from the file common.yml names, relative to the service folder', () => {
    const plugins = projectOptions().plugins ?? [];
    expect(plugins.map((p) => p.name)).toContain('zod-namespace-import');
  });
});
