import { readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundle } from '../../src/bundle';
import { naiveOptions, projectOptions } from '../../src/esbuild-settings';
import { REPO_ROOT } from '../../src/paths';

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
  it("Lambda code imports zod/mini as a namespace (`import * as z from 'zod/mini'`), never zod classic", () => {
    // zod/mini is the same zod 4 core (same parsing, same issues) behind functions instead of
    // methods, so esbuild keeps only the functions a bundle calls: a schema built with classic costs
    // ~40 ms of module initialisation, the same schema with zod/mini ~7 ms (tools/perf/fixtures/dep-zod-*.ts).
    // One classic import anywhere (even `import * as z from 'zod'`) brings classic's prototypes back;
    // `import { z }` of either keeps the whole `z` object (every locale, the JSON Schema tooling).
    // Allowed besides: English messages only (`{ en } from 'zod/locales'`, see shared/src/contracts/
    // schema.ts), and classic *types* where Powertools' classic parser schemas must be composed with.
    const classicTypesAllowed = ['services/notification/src/domain/notifiable-event.ts'];
    const allowed = (file: string, clause: string, typeOnly: boolean, from: string) =>
      (from === 'zod/mini' && clause === '* as z') ||
      (from === 'zod/locales' && !typeOnly && clause === '{ en }') ||
      (from === 'zod' && typeOnly && classicTypesAllowed.includes(file));
    const offenders = [path.join(REPO_ROOT, 'shared', 'src'), ...['order', 'inventory', 'payment', 'notification'].map((s) => path.join(REPO_ROOT, 'services', s, 'src'))]
      .flatMap(sourceFiles)
      .flatMap((file) => {
        const relative = path.relative(REPO_ROOT, file).split(path.sep).join('/');
        const source = readFileSync(file, 'utf8');
        const statements = [...source.matchAll(/^(?:import|export)\s+(type\s+)?([^;]*?)\s*from\s*'(zod(?:\/[^']*)?)'/gm)]
          .filter(([, type, clause, from]) => !allowed(relative, clause!.replace(/\s+/g, ' '), type !== undefined, from!))
          .map(([statement]) => `${relative}: ${statement}`);
        const unbound = [...source.matchAll(/^import\s*'zod[^']*'|\b(?:require|import)\s*\(\s*'zod[^']*'\s*\)/gm)].map(([statement]) => `${relative}: ${statement}`);
        return [...statements, ...unbound];
      });
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
