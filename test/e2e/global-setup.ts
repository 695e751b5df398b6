import { runningStack, startStack } from './stack-process';

/** Uses the stack of a running `npm start`, or starts one for this run (stopped in global-teardown). */
export default async function globalSetup(): Promise<void> {
  if (await runningStack()) return;
  await startStack();
}
