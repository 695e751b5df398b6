import { readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundle } from '../src/bundle';
import { naiveOptions, projectOptions } from '../src/esbuild-settings';
import { REPO_ROOT } from '../src/paths';

/**
 * Guards for what makes the bundles small (sizes only, never times: `npm run bench:cold` measures).
 * Each failure names the fix.
 */

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return name === 'node_modules' || name.startsWith('.') ? [] : sourceFiles(file);
    return file.endsWith('.ts') ? [file] : [];
  });
}

describe('bundle hygiene', () => {
  it("runtime code imports zod as a namespace (`import * as z from 'zod'`), never `import { z }`", () => {
    // `import { z }` keeps zod's whole `z` object: every locale and the JSON Schema tooling (+~360 KiB a function).
    const offenders = [path.join(REPO_ROOT, 'shared', 'src'), ...['order', 'inventory', 'payment', 'notification'].map((s) => path.join(REPO_ROOT, 'services', s, 'src'))]
      .flatMap(sourceFiles)
      .filter((file) => /^import\s*\{\s*z\s*\}\s*from\s*'zod'/m.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(REPO_ROOT, file));
    expect(offenders).toEqual([]);
  });

  it('the shared settings resolve ES module builds first and keep the unused credential providers out', () => {
    const options = projectOptions();
    expect(options.mainFields?.[0]).toBe('module');
    expect(options.external).toEqual(expect.arrayContaining(['@aws-sdk/credential-provider-sso', '@aws-sdk/credential-provider-ini']));
  });

  it('a handler bundled with the project settings is at most half its naive bundle, without STS/SSO clients', async () => {
    const out = path.join(os.tmpdir(), `bundle-hygiene-${process.pid}`);
    const entry = path.join(REPO_ROOT, 'services', 'order', 'src', 'handlers', 'getOrder.ts');
    const workingDir = path.join(REPO_ROOT, 'services', 'order');
    const project = await bundle(entry, projectOptions(), path.join(out, 'project'), workingDir);
    const naive = await bundle(entry, naiveOptions(), path.join(out, 'naive'), workingDir);
    expect(project.bytes / naive.bytes).toBeLessThanOrEqual(0.5);
    expect(project.packages.map((p) => p.name)).not.toContain('@aws-sdk/nested-clients');
  }, 60_000);
});
