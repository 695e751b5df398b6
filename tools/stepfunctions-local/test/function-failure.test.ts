import { functionFailure } from '../src/tasks';

/** How a Lambda function error becomes the Step Functions error that Retry and Catch match. */
const offline = (name: string, message: string) => ({
  functionError: 'Unhandled',
  // serverless-offline's shape: errorType is always "Error"; the trace starts with "<name>: <message>".
  payload: { errorType: 'Error', errorMessage: message, trace: [`${name}: ${message}`, '    at handler (x.js:1:1)'] },
});

test.each([
  ['a plain name from the trace', offline('PaymentDeclined', 'declined'), 'PaymentDeclined'],
  ['a dotted name from the trace', offline('Sandbox.Timedout', 'Task timed out'), 'Sandbox.Timedout'],
  ['another dotted AWS name', offline('Lambda.TooManyRequestsException', 'slow down'), 'Lambda.TooManyRequestsException'],
  ['an error without a name of its own', offline('Error', 'boom'), 'Error'],
  ["serverless-offline's own timeout, as Lambda reports a timeout", offline('Error', '[504] - Lambda timeout.'), 'Sandbox.Timedout'],
  ['a real errorType (AWS shape)', { functionError: 'Unhandled', payload: { errorType: 'OutOfStock', errorMessage: 'none' } }, 'OutOfStock'],
  ['no errorType at all', { functionError: 'Unhandled', payload: 'crashed' }, 'Lambda.Unknown'],
])('%s', (_what, out, name) => {
  const error = functionFailure(out);
  expect(error.name).toBe(name);
  expect(error.message).toBe(typeof out.payload === 'string' ? out.payload : JSON.stringify(out.payload));
});
