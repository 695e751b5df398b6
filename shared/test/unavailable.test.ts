import { HttpProblem, RETRY_AFTER_SECONDS, retryLater, unavailableOnTransient } from '../src';

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

test('a transient failure of a backing service is a 503 naming it, with the one Retry-After', async () => {
  const error = await unavailableOnTransient('The order store', () => Promise.reject(throttled())).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(HttpProblem);
  expect(error).toMatchObject({ status: 503, detail: 'The order store is temporarily unavailable; retry later', headers: { 'Retry-After': '2' } });
  expect(RETRY_AFTER_SECONDS).toBe(2);
});

test('a result passes through; any other error is thrown as it is', async () => {
  await expect(unavailableOnTransient('The order store', async () => 42)).resolves.toBe(42);
  const defect = Object.assign(new Error('bad request'), { name: 'ValidationException' });
  await expect(unavailableOnTransient('The order store', () => Promise.reject(defect))).rejects.toBe(defect);
});

test('retryLater keeps its extensions', () => {
  expect(retryLater('Stored; not started yet', { orderId: 'o-1' })).toMatchObject({
    status: 503,
    detail: 'Stored; not started yet',
    extensions: { orderId: 'o-1' },
    headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
  });
});
