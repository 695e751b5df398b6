import { InspectorError, toInspectorError } from '../src/errors';

const sdkError = (name: string, message = name) => Object.assign(new Error(message), { name });

describe('toInspectorError', () => {
  it('maps Step Functions errors to what the user can do about them', () => {
    expect(toInspectorError(sdkError('ExecutionDoesNotExist'))).toMatchObject({ code: 'NOT_FOUND' });
    expect(toInspectorError(sdkError('ExecutionNotRedrivable'))).toMatchObject({ code: 'CONFLICT' });
    expect(toInspectorError(sdkError('StateMachineTypeNotSupported'))).toMatchObject({ code: 'UNSUPPORTED' });
    expect(toInspectorError(sdkError('InvalidArn'))).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('explains an unreachable endpoint, wrapped or not', () => {
    const wrapped = toInspectorError(new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:8083'), 'http://127.0.0.1:8083');
    expect(wrapped).toBeInstanceOf(InspectorError);
    expect((wrapped as InspectorError).message).toMatch(/cannot reach http:\/\/127.0.0.1:8083 \(ECONNREFUSED\).*npm start/u);
    expect(toInspectorError(Object.assign(new Error('x'), { cause: { code: 'ENOTFOUND' } }))).toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('explains missing credentials', () => {
    expect(toInspectorError(sdkError('CredentialsProviderError', 'Could not load credentials from any providers'))).toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('npm start'),
    });
  });

  it('leaves anything else alone', () => {
    const other = new TypeError('bug');
    expect(toInspectorError(other)).toBe(other);
  });
});
