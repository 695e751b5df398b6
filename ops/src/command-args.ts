import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Where an ops command writes, and the environment it reads (tests hand in their own). */
export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  env?: Record<string, string | undefined>;
}

/**
 * parseArgs for the ops commands: `--help` prints the usage (exit code 0) and a usage error
 * prints the message and the usage (exit code 2); either way the exit code is returned instead
 * of the parsed arguments.
 */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T, usage: string, io: CliIo): ReturnType<typeof parseArgs<T>> | number {
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout(usage);
    return 0;
  }
  return parsed;
}

/** Runs an ops command from the command line (`tsx <file>`): its exit code, or 1 with the error on stderr if it throws. */
export function runFromCommandLine(command: (argv: string[], io: CliIo) => Promise<number>): void {
  command(process.argv.slice(2), { stdout: (line) => console.log(line), stderr: (line) => console.error(line) }).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
