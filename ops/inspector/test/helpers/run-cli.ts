import { runCli } from '../../src/cli/main';

/** Runs the CLI in-process, as `npm run saga -- ...` would, capturing its output. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json<T = unknown>(): T;
}

export function cliRunner(env: Record<string, string>) {
  return async (...argv: string[]): Promise<CliResult> => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, {
      stdout: { write: (t: string) => (stdout += t), isTTY: false, columns: 200 },
      stderr: { write: (t: string) => (stderr += t), isTTY: false },
      env: { NO_COLOR: '1', ...env },
    });
    return { code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T };
  };
}
