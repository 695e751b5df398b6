import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { JavaMissingError } from '../errors';

const MIN_JAVA_MAJOR = 17;

/** The java binary to use: $JAVA_HOME/bin/java when set, else `java` from PATH. */
export function javaCommand(env: NodeJS.ProcessEnv = process.env): string {
  return env.JAVA_HOME ? path.join(env.JAVA_HOME, 'bin', 'java') : 'java';
}

/** Parses the major version out of `java -version` output ("17.0.15", "1.8.0_402", "21"). */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput) ?? /^\S+ (\d+)(?:\.(\d+))?/m.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

/** Throws JavaMissingError (with how to fix it) unless a Java 17+ runtime can be run. */
export function assertJava(command = javaCommand()): void {
  const result = spawnSync(command, ['-version'], { encoding: 'utf8', timeout: 15_000 });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    throw new JavaMissingError(code === 'ENOENT' ? `"${command}" was not found` : `"${command} -version" failed: ${result.error.message}`);
  }
  const output = `${result.stderr}${result.stdout}`;
  const major = parseJavaMajor(output);
  if (major === undefined) throw new JavaMissingError(`could not read the version from "${command} -version": ${output.trim().slice(0, 200)}`);
  if (major < MIN_JAVA_MAJOR) throw new JavaMissingError(`found Java ${major} at "${command}"`);
}
