/** stepfunctions-local: a Step Functions API server (the aws-local-stepfunctions engine, and an interpreter for JSONata and variables). */
export { startServer, DEFAULT_ACCOUNT, DEFAULT_LAMBDA_ENDPOINT, DEFAULT_PORT } from './server';
export type { RunningServer, ServerOptions } from './server';
export { createHttpInvoker, createLocalInvoker, LambdaInvokeError } from './invoker';
export type { ClosableInvoker, HttpInvokerOptions, InvokeCallOptions, InvokeResult, LambdaInvoker, LocalHandler } from './invoker';
export { ApiError } from './errors';
export type { ErrorCode } from './errors';
export { RESTART_CAUSE, RESTART_ERROR } from './service';
