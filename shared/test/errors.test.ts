import { asStepError, BusinessError, isTransientAwsError, TransientError } from '../src';

class OutOfStock extends BusinessError {
  override readonly name = 'OutOfStock';
}

function awsError(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(name), { name, ...extra });
}

test.each([
  ['throttling', awsError('ThrottlingException'), true],
  ['5xx', awsError('Whatever', { $metadata: { httpStatusCode: 503 } }), true],
  ['retryable flag', awsError('Whatever', { $retryable: {} }), true],
  ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' }), true],
  ['transaction conflict', awsError('TransactionConflictException'), true],
  ['conditional check', awsError('ConditionalCheckFailedException', { $metadata: { httpStatusCode: 400 } }), false],
  ['validation', awsError('ValidationException', { $metadata: { httpStatusCode: 400 } }), false],
  ['not an error', 'boom', false],
])('%s is transient: %s', (_name, error, transient) => {
  expect(isTransientAwsError(error)).toBe(transient);
});

test('asStepError keeps business and transient errors, renames transient AWS ones, wraps others', () => {
  const business = new OutOfStock('no stock');
  expect(asStepError(business)).toBe(business);
  const transient = new TransientError('later');
  expect(asStepError(transient)).toBe(transient);
  const renamed = asStepError(awsError('ThrottlingException'));
  expect(renamed.name).toBe('TransientError');
  expect(renamed).toBeInstanceOf(TransientError);
  expect(asStepError('text').message).toBe('text');
});
