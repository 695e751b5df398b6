/** The error `fn` throws; fails the test when it returns instead. */
export function caught(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw, got a return');
}

/** The error `promise` rejects with; fails the test when it resolves instead. */
export async function rejected(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection, got a resolution');
}
