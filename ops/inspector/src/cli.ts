/**
 * Saga inspector entry point: `npm run saga -- <command>` (root package.json runs this with tsx).
 * See ops/inspector/README.md.
 */
import { runCli } from './cli/main';

const untilInterrupted = () =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, untilInterrupted }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
