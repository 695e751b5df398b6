import { randomUUID } from 'node:crypto';
import type { HistoryRecorder, TaskSlot } from './history';
import { LambdaInvokeError, type InvokeResult, type LambdaInvoker } from './invoker';

/**
 * What a Task state's Resource asks for:
 * - `lambda`: a function ARN as Resource (history: LambdaFunction* events, result = the payload);
 * - `service`: the `arn:aws:states:::lambda:invoke` integration (Task* events, Invoke response);
 * - `unsupported`: any other resource; it fails the state with States.Runtime.
 */
export interface TaskSpec {
  kind: 'lambda' | 'service' | 'unsupported';
  state: string;
  resource: string;
  resourceType: string;
  action: string;
  functionName?: string;
  timeoutSeconds?: number;
}

const LAMBDA_ARN = /^arn:aws[\w-]*:lambda:[^:]*:[^:]*:function:([^:]+)(?::[^:]+)?$/u;
const INTEGRATION = /^arn:aws[\w-]*:states:::([^:]+):(.+)$/u;
const ACTIVITY = /^arn:aws[\w-]*:states:[^:]*:[^:]*:activity:(.+)$/u;
// FunctionName in lambda:invoke: name, name:qualifier, full ARN or partial ARN (account:function:name).
const FUNCTION_REF = /^(?:arn:aws[\w-]*:lambda:[^:]*:)?(?:\d{12}:)?(?:function:)?([\w-]+)(?::[\w$-]+)?$/u;

export function parseTaskResource(state: string, def: Record<string, unknown>): TaskSpec {
  const resource = String(def['Resource'] ?? '');
  const timeoutSeconds = typeof def['TimeoutSeconds'] === 'number' ? def['TimeoutSeconds'] : undefined;
  const base = { state, resource, timeoutSeconds };
  const lambda = LAMBDA_ARN.exec(resource);
  // Aliases and versions resolve to the function itself: local endpoints have no versions.
  if (lambda) return { ...base, kind: 'lambda', resourceType: 'lambda', action: 'function', functionName: lambda[1] };
  const integration = INTEGRATION.exec(resource);
  if (integration) {
    const [, resourceType = '', action = ''] = integration;
    const kind = resourceType === 'lambda' && action === 'invoke' ? 'service' : 'unsupported';
    return { ...base, kind, resourceType, action };
  }
  const activity = ACTIVITY.exec(resource);
  return { ...base, kind: 'unsupported', resourceType: 'activity', action: activity?.[1] ?? resource };
}

/** Resolves a lambda:invoke FunctionName to the bare name local Lambda endpoints look up. */
export function functionNameOf(ref: string): string | undefined {
  return FUNCTION_REF.exec(ref)?.[1];
}

/** An error the engine matches against Retry/Catch by `name`; its message becomes the Cause. */
class TaskError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

/** States.Runtime: neither retried nor caught, as on AWS (the engine reads these two flags). */
class RuntimeFailure extends TaskError {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor(cause: string) {
    super('States.Runtime', cause);
  }
}

export interface TaskContext {
  invoker: LambdaInvoker;
  /** Absent for Express executions, which keep no history. */
  recorder?: HistoryRecorder;
}

type Handler = (input: unknown) => Promise<unknown>;

/** One local handler per Task state, routed through the shared invoker instead of the engine's per-task SDK client. */
export function taskHandlers(tasks: Map<string, TaskSpec>, context: TaskContext): Record<string, Handler> {
  const handlers: Record<string, Handler> = {};
  for (const [state, spec] of tasks) handlers[state] = (input) => runTask(spec, input, context);
  return handlers;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function runTask(spec: TaskSpec, input: unknown, context: TaskContext): Promise<unknown> {
  const { recorder } = context;
  let slot: TaskSlot | undefined;
  if (recorder) {
    // The engine calls this handler synchronously after queueing StateEntered; its event log is
    // read asynchronously. One macrotask lets the reader catch up so task events follow it.
    await nextTurn();
    slot = recorder.claimTask(spec.state);
    if (slot) recorder.taskScheduled(slot, spec, input);
  }
  try {
    const result = await perform(spec, input, context.invoker);
    if (slot) recorder?.taskSucceeded(slot, spec, result);
    return result;
  } catch (error) {
    const failure = toTaskError(error);
    if (slot) recorder?.taskFailed(slot, spec, failure.name, failure.message);
    throw failure;
  }
}

async function perform(spec: TaskSpec, input: unknown, invoker: LambdaInvoker): Promise<unknown> {
  if (spec.kind === 'lambda') {
    const out = await invoker(spec.functionName ?? '', input);
    if (out.functionError) throw functionFailure(out);
    return out.payload;
  }
  if (spec.kind === 'service') {
    const params = isObject(input) ? input : {};
    const ref = params['FunctionName'];
    const name = typeof ref === 'string' ? functionNameOf(ref) : undefined;
    if (!name) throw new RuntimeFailure(`lambda:invoke needs a valid Parameters.FunctionName, got ${JSON.stringify(ref)}`);
    const out = await invoker(name, params['Payload'] ?? {});
    if (out.functionError) throw functionFailure(out);
    return invokeResponse(out);
  }
  throw new RuntimeFailure(`The resource '${spec.resource}' is not supported by stepfunctions-local (only Lambda functions and arn:aws:states:::lambda:invoke are)`);
}

/** serverless-offline's answer when a function runs past its timeout (errorType "Error"). */
const OFFLINE_TIMEOUT_MESSAGE = '[504] - Lambda timeout.';

/**
 * A function error as Step Functions reports it: error = the payload's errorType, cause = the
 * payload as JSON text. serverless-offline reports every thrown error as errorType "Error"; the
 * first line of its trace still carries the error's real name (dotted ones too, such as
 * `Sandbox.Timedout`), which is what AWS would report. A function that ran out of time is
 * `Sandbox.Timedout`, as Lambda reports it to Step Functions on AWS.
 */
export function functionFailure(out: InvokeResult): Error {
  const payload = out.payload;
  let errorType = isObject(payload) && typeof payload['errorType'] === 'string' ? payload['errorType'] : undefined;
  if (errorType === 'Error' && isObject(payload) && payload['errorMessage'] === OFFLINE_TIMEOUT_MESSAGE) {
    errorType = 'Sandbox.Timedout';
  } else if (errorType === 'Error' && isObject(payload) && Array.isArray(payload['trace'])) {
    const named = /^([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(?::|$)/u.exec(String(payload['trace'][0] ?? ''));
    if (named?.[1]) errorType = named[1];
  }
  const cause = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return new TaskError(errorType ?? 'Lambda.Unknown', cause);
}

function toTaskError(error: unknown): Error {
  if (error instanceof TaskError || error instanceof LambdaInvokeError) return error;
  // A custom invoker threw something of its own: report it as a Lambda service failure.
  const message = error instanceof Error ? error.message : String(error);
  return new TaskError('Lambda.ServiceException', message);
}

/** The lambda:invoke result shape (what the Java SDK's InvokeResult serialises to on AWS). */
function invokeResponse(out: InvokeResult): Record<string, unknown> {
  const requestId = out.requestId ?? randomUUID();
  const version = out.executedVersion ?? '$LATEST';
  const status = out.statusCode ?? 200;
  const headers: Record<string, string> = {
    Connection: 'keep-alive',
    'Content-Type': 'application/json',
    Date: new Date().toUTCString(),
    'X-Amz-Executed-Version': version,
    'x-amzn-Remapped-Content-Length': '0',
    'x-amzn-RequestId': requestId,
  };
  const allHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
  return {
    ExecutedVersion: version,
    Payload: out.payload,
    SdkHttpMetadata: { AllHttpHeaders: allHeaders, HttpHeaders: headers, HttpStatusCode: status },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: status,
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
