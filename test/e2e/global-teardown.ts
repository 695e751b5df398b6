import { stopOwnedStack } from './stack-process';

/** Stops the stack global-setup started; a stack that was already running is left alone. */
export default async function globalTeardown(): Promise<void> {
  await stopOwnedStack();
}
