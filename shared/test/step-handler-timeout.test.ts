import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { createObservability, stepHandler } from '../src/lambda';

/**
 * A step that hangs is ended by middy's early timeout (TimeoutError) just before Lambda's own; the
 * saga retries TransientError (and Sandbox.Timedout), so the step reports the timeout as transient.
 */
const context = (remainingMs: number) => ({ functionName: 'f', awsRequestId: 'r', getRemainingTimeInMillis: () => remainingMs }) as unknown as Context;
const Input = z.object({ orderId: z.string() });

test('a step that runs out of time fails with TransientError, which the saga retries', async () => {
  const handler = stepHandler(createObservability('test'), Input, () => new Promise<never>(() => undefined));
  const error = (await handler({ orderId: 'o-1' }, context(30)).catch((e: unknown) => e)) as Error;
  expect(error.name).toBe('TransientError');
  expect(error.message).toMatch(/ran out of time/);
});

test('other errors keep their names (business errors are caught by name)', async () => {
  class OutOfStock extends Error {
    override readonly name = 'OutOfStock';
  }
  const handler = stepHandler(createObservability('test'), Input, async () => {
    throw new OutOfStock('none left');
  });
  expect(((await handler({ orderId: 'o-1' }, context(1_000)).catch((e: unknown) => e)) as Error).name).toBe('OutOfStock');
});
