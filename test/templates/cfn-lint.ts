import { spawnSync } from 'node:child_process';

/** How to run cfn-lint here: its command on PATH, else the module of the machine's python3. */
export interface CfnLintCommand {
  command: string;
  args: string[];
  version: string;
}

export const INSTALL_HINT = 'cfn-lint (AWS CloudFormation Linter) is not installed: `pip install cfn-lint` (or `pipx install cfn-lint`), then make sure `cfn-lint --version` works in this shell';

function probe(command: string, args: string[]): CfnLintCommand | undefined {
  const result = spawnSync(command, [...args, '--version'], { encoding: 'utf8' });
  if (result.status !== 0) return undefined;
  return { command, args, version: `${result.stdout}${result.stderr}`.trim() };
}

export function findCfnLint(): CfnLintCommand | undefined {
  return probe('cfn-lint', []) ?? probe('python3', ['-m', 'cfnlint']);
}
