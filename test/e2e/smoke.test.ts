import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { CHECK_NAMES, type CheckResult } from '../../ops/src/smoke/checks';

/**
 * `npm run smoke -- --stage local` against the stack of this run, as a deployer runs it against a
 * stage: every check passes and the exit code is 0. (That it fails loudly is shown in
 * ops/test/smoke-checks.test.ts and, with an injected fault, in ops/README.md.)
 */
const ROOT = path.resolve(__dirname, '..', '..');

test('npm run smoke -- --stage local passes every check', async () => {
  const { stdout } = await promisify(execFile)('npm', ['run', '-s', 'smoke', '--', '--stage', 'local', '--json'], { cwd: ROOT, env: process.env, maxBuffer: 1 << 20 });
  const report = JSON.parse(stdout) as { passed: boolean; customerId: string; results: CheckResult[]; notes: string[] };
  expect(report.results.map((result) => [result.name, result.outcome, result.outcome === 'pass' ? '' : result.detail])).toEqual(CHECK_NAMES.map((name) => [name, 'pass', '']));
  expect(report.passed).toBe(true);
  expect(report.customerId).toMatch(/^smoke-[0-9a-f]{8}$/);
  expect(report.notes.join('\n')).toMatch(/nothing was deleted/);
});
