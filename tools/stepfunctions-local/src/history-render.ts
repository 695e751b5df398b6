import type { HEvent } from './history';

// Compact history events become AWS's HistoryEvent shape (epoch-second timestamps,
// `*EventDetails` members) only here, when GetExecutionHistory asks for them.

export interface RenderOptions {
  includeData: boolean;
  region: string;
  roleArn: string;
}

type Rendered = Record<string, unknown>;

/** One event; `includeData: false` leaves inputs, outputs and their *Details out. */
export function renderEvent(event: HEvent, id: number, options: RenderOptions): Rendered {
  const out: Rendered = { timestamp: event.ts / 1000, type: event.t, id, previousEventId: event.p };
  const data = (field: 'input' | 'output'): Rendered =>
    options.includeData && event.d !== undefined ? { [field]: event.d, [`${field}Details`]: { truncated: false } } : {};
  const errorCause = (): Rendered => ({
    ...(event.e !== undefined && { error: event.e }),
    ...(event.c !== undefined && { cause: event.c }),
  });
  const task = (): Rendered => {
    const [resourceType = '', resource = ''] = splitOnce(event.n ?? '');
    return { resourceType, resource };
  };
  const timeout = event.i !== undefined ? { timeoutInSeconds: event.i } : {};
  switch (event.t) {
    case 'ExecutionStarted':
      out['executionStartedEventDetails'] = { ...data('input'), roleArn: options.roleArn };
      break;
    case 'ExecutionSucceeded':
      out['executionSucceededEventDetails'] = data('output');
      break;
    case 'ExecutionFailed':
      out['executionFailedEventDetails'] = errorCause();
      break;
    case 'ExecutionAborted':
      out['executionAbortedEventDetails'] = errorCause();
      break;
    case 'ExecutionTimedOut':
      out['executionTimedOutEventDetails'] = errorCause();
      break;
    case 'ExecutionRedriven':
      out['executionRedrivenEventDetails'] = { redriveCount: event.i };
      break;
    case 'LambdaFunctionScheduled':
      out['lambdaFunctionScheduledEventDetails'] = { resource: event.n, ...data('input'), ...timeout };
      break;
    case 'LambdaFunctionStarted':
      break;
    case 'LambdaFunctionSucceeded':
      out['lambdaFunctionSucceededEventDetails'] = data('output');
      break;
    case 'LambdaFunctionFailed':
      out['lambdaFunctionFailedEventDetails'] = errorCause();
      break;
    case 'LambdaFunctionTimedOut':
      out['lambdaFunctionTimedOutEventDetails'] = errorCause();
      break;
    case 'TaskScheduled':
      out['taskScheduledEventDetails'] = { ...task(), region: options.region, parameters: event.d ?? '{}', ...timeout };
      break;
    case 'TaskStarted':
      out['taskStartedEventDetails'] = task();
      break;
    case 'TaskSucceeded':
      out['taskSucceededEventDetails'] = { ...task(), ...data('output') };
      break;
    case 'TaskFailed':
      out['taskFailedEventDetails'] = { ...task(), ...errorCause() };
      break;
    case 'TaskStartFailed':
      out['taskStartFailedEventDetails'] = { ...task(), ...errorCause() };
      break;
    case 'TaskTimedOut':
      out['taskTimedOutEventDetails'] = { ...task(), ...errorCause() };
      break;
    case 'MapStateStarted':
      out['mapStateStartedEventDetails'] = { length: event.i ?? 0 };
      break;
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
    case 'MapIterationFailed':
    case 'MapIterationAborted': {
      const key = `mapIteration${event.t.slice('MapIteration'.length)}EventDetails`;
      out[key] = { name: event.n, index: event.i };
      break;
    }
    case 'EvaluationFailed':
      out['evaluationFailedEventDetails'] = {
        ...errorCause(),
        ...(event.d !== undefined && { location: event.d }),
        state: event.n,
      };
      break;
    default:
      if (event.t.endsWith('StateEntered')) out['stateEnteredEventDetails'] = { name: event.n, ...data('input') };
      else if (event.t.endsWith('StateExited')) out['stateExitedEventDetails'] = { name: event.n, ...data('output'), ...assigned(event, options) };
  }
  return out;
}

/** A state's Assign in its Exited event: each variable's value as JSON text (data like input and output). */
function assigned(event: HEvent, options: RenderOptions): Rendered {
  if (event.v === undefined || !options.includeData) return {};
  return { assignedVariables: JSON.parse(event.v) as Record<string, string>, assignedVariablesDetails: { truncated: false } };
}

function splitOnce(text: string): [string, string] {
  const at = text.indexOf(':');
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}
