import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { HandlerBuilder } from '../../src/build/handler-builder';
import type { HandlerEntry } from '../../src/build/handler-entries';
import { REPO_ROOT } from '../../src/config';

/** A tiny project: two handlers sharing one module, built with the stack's esbuild context. */
let root: string;
let builder: HandlerBuilder;
let entries: HandlerEntry[];
const write = (file: string, text: string) => {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
};
const output = (name: string) => readFileSync(entries.find((e) => e.functionName === name)!.output, 'utf8');
const names = (result: Awaited<ReturnType<HandlerBuilder['build']>>) => (result.ok ? result.changed.map((e) => e.functionName) : 'failed');

beforeAll(() => {
  // Inside the repository (git-ignored .local/), so that packages resolve from its node_modules.
  mkdirSync(path.join(REPO_ROOT, '.local', 'tmp'), { recursive: true });
  root = mkdtempSync(path.join(REPO_ROOT, '.local', 'tmp', 'handler-builder-'));
  write('tsconfig.json', JSON.stringify({ compilerOptions: { strict: true } }));
  write('svc/src/greeting.ts', "export const greeting = 'hello';\n");
  write('svc/src/only-a.ts', "export const suffix = '!';\n");
  write('svc/src/handlers/a.ts', "import { greeting } from '../greeting';\nimport { suffix } from '../only-a';\nexport const handler = async () => greeting + suffix;\n");
  write('svc/src/handlers/b.ts', "import { greeting } from '../greeting';\nexport const handler = async () => greeting.toUpperCase();\n");
  entries = ['a', 'b'].map((name) => ({
    functionName: `svc-local-${name}`,
    module: `src/handlers/${name}`,
    source: path.join(root, 'svc', 'src', 'handlers', `${name}.ts`),
    output: path.join(root, 'run', 'svc', '.esbuild', '.build', 'src', 'handlers', `${name}.js`),
  }));
  builder = new HandlerBuilder({ rootDir: root, outDir: path.join(root, 'run'), entries });
});

afterAll(async () => {
  await builder.dispose();
  rmSync(root, { recursive: true, force: true });
});

test('builds every handler once, then writes only the bundles a change reaches', async () => {
  expect(names(await builder.build())).toEqual(['svc-local-a', 'svc-local-b']);
  expect(output('svc-local-a')).toContain('hello');
  expect(existsSync(`${entries[0]!.output}.map`)).toBe(true);
  expect(names(await builder.build())).toEqual([]);

  write('svc/src/only-a.ts', "export const suffix = '?';\n");
  expect(builder.affects(path.join(root, 'svc/src/only-a.ts'))).toBe(true);
  expect(builder.affects(path.join(root, 'svc/src/unrelated.ts'))).toBe(false);
  expect(names(await builder.build())).toEqual(['svc-local-a']);

  write('svc/src/greeting.ts', "export const greeting = 'bonjour';\n");
  expect(names(await builder.build())).toEqual(['svc-local-a', 'svc-local-b']);
  expect(output('svc-local-b')).toContain('bonjour');
});

test('a syntax error leaves the last good bundles in place and says where; the fix mends it', async () => {
  const before = output('svc-local-b');
  write('svc/src/greeting.ts', "export const greeting = 'oops;\n");
  const failed = await builder.build();
  expect(failed.ok).toBe(false);
  if (failed.ok) return;
  expect(failed.location).toMatch(/^svc\/src\/greeting\.ts:1:\d+$/);
  expect(failed.message).toContain('Unterminated string literal');
  expect(output('svc-local-b')).toBe(before);
  // After a failure any save may mend it (a missing file, say), so every file counts.
  expect(builder.affects(path.join(root, 'svc/src/unrelated.ts'))).toBe(true);

  write('svc/src/greeting.ts', "export const greeting = 'hi';\n");
  expect(names(await builder.build())).toEqual(['svc-local-a', 'svc-local-b']);
  expect(output('svc-local-b')).toContain('hi');
});

test('a bundle deleted under it (a packaging clean-up) is written again', async () => {
  rmSync(entries[1]!.output);
  expect(names(await builder.build())).toEqual(['svc-local-b']);
  expect(existsSync(entries[1]!.output)).toBe(true);
});

test('dependencies stay in node_modules unless only an ES module import can load them', async () => {
  write('svc/src/handlers/a.ts', "import { z } from 'zod';\nimport middy from '@middy/core';\nexport const handler = middy(async () => z.string().parse('x'));\n");
  const result = await builder.build();
  expect(result.ok).toBe(true);
  // zod has a require() entry: left to node_modules. @middy/core is ESM-only: bundled.
  expect(output('svc-local-a')).toMatch(/require\("zod"\)/);
  expect(output('svc-local-a')).not.toMatch(/require\("@middy\/core"\)/);
});
