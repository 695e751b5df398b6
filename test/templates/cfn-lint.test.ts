import { execFile } from 'node:child_process';
import path from 'node:path';
import { CFN_LINT_ALLOW_LIST, type CfnLintFinding } from './cfn-lint-allow-list';
import { INSTALL_HINT, findCfnLint } from './cfn-lint';
import { ROOT, STAGE_STACKS, loadTemplate, templatePath } from './templates';

// AWS's CloudFormation linter over every packaged template of every stage, in one run (its start
// is most of its time). Any finding the allow list does not name fails.
const files = STAGE_STACKS.map(([stage, stack]) => ({ stage, stack, file: templatePath(stack, stage) }));
const cfnLint = findCfnLint();
let findings: CfnLintFinding[] | undefined;

beforeAll(async () => {
  if (!cfnLint) return;
  const stdout = await new Promise<string>((resolve, reject) =>
    // cfn-lint exits non-zero whenever it finds anything: its JSON report says what.
    execFile(cfnLint.command, [...cfnLint.args, '--format', 'json', ...files.map((f) => f.file)], { maxBuffer: 64 * 1024 * 1024 }, (error, out, err) =>
      out.trim().startsWith('[') ? resolve(out) : reject(new Error(`cfn-lint gave no JSON report: ${error?.message ?? ''}\n${err}`)),
    ),
  );
  findings = JSON.parse(stdout) as CfnLintFinding[];
}, 120_000);

test('cfn-lint is installed (the CI entry point .ci/run provides it)', () => {
  if (!cfnLint) throw new Error(INSTALL_HINT);
  expect(cfnLint.version).toMatch(/cfn-lint \d+\.\d+/);
});

test.each(files)('$stage $stack: cfn-lint finds nothing beyond its allow list', ({ stage, stack, file }) => {
  if (!findings) throw new Error(INSTALL_HINT);
  const template = loadTemplate(stack, stage);
  const own = findings.filter((f) => path.resolve(ROOT, f.Filename) === path.resolve(file));
  const unexpected = own
    .filter((f) => !CFN_LINT_ALLOW_LIST.some((accepted) => accepted.rule === f.Rule.Id && accepted.matches(f, template)))
    .map((f) => `${f.Rule.Id} ${f.Location.Path.join('/')}: ${f.Message}`);
  expect(unexpected).toEqual([]);
});

test('every entry of the allow list is still needed: it matches some finding', () => {
  if (!findings) throw new Error(INSTALL_HINT);
  const templates = new Map(files.map(({ stage, stack, file }) => [path.resolve(file), () => loadTemplate(stack, stage)]));
  for (const accepted of CFN_LINT_ALLOW_LIST) {
    const used = findings.some((f) => accepted.rule === f.Rule.Id && accepted.matches(f, templates.get(path.resolve(ROOT, f.Filename))!()));
    expect({ reason: accepted.reason, used }).toEqual({ reason: accepted.reason, used: true });
  }
});
