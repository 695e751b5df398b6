import { readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';

/**
 * Walks the saga's Amazon States Language definition (services/order/saga.asl.yml) for given Task
 * outcomes, as Step Functions would: Retry, then Catch, then Next. Pure: the path's states, task
 * attempts and billable transitions come from the definition itself, so a changed definition
 * changes the cost model with it.
 */

interface Retrier {
  ErrorEquals: string[];
  MaxAttempts?: number;
}
interface Catcher {
  ErrorEquals: string[];
  Next: string;
}
interface State {
  Type: string;
  Resource?: string;
  Next?: string;
  End?: boolean;
  Retry?: Retrier[];
  Catch?: Catcher[];
}
export interface SagaDefinition {
  StartAt: string;
  States: Record<string, State>;
}

export const SAGA_FILE = path.resolve(__dirname, '..', '..', '..', '..', 'services', 'order', 'saga.asl.yml');

export function loadSagaDefinition(file = SAGA_FILE): SagaDefinition {
  return yaml.load(readFileSync(file, 'utf8')) as SagaDefinition;
}

/** An attempt's result: `ok`, or the error name it fails with. */
export type Outcome = 'ok' | string;

export interface TaskAttempts {
  state: string;
  resource: string;
  outcomes: Outcome[];
}

export interface SagaRun {
  statesEntered: string[];
  tasks: TaskAttempts[];
  retries: number;
  /** Step Functions bills one transition per state entered and one per retry. */
  billableTransitions: number;
  status: 'SUCCEEDED' | 'FAILED';
}

const matches = (equals: string[], error: string) => equals.includes(error) || (equals.includes('States.ALL') && !error.startsWith('States.Runtime'));

/**
 * Runs the definition. `outcomes[state]` lists the results of that Task's attempts in order
 * (default: succeeds at once); an attempt list that runs out means the remaining attempts succeed.
 */
export function walkSaga(definition: SagaDefinition, outcomes: Record<string, Outcome[]>, maxStates = 100): SagaRun {
  const statesEntered: string[] = [];
  const tasks: TaskAttempts[] = [];
  let retries = 0;
  let current: string | undefined = definition.StartAt;
  while (current !== undefined) {
    if (statesEntered.length >= maxStates) throw new Error(`the saga ran more than ${maxStates} states: a loop?`);
    const state: State | undefined = definition.States[current];
    if (!state) throw new Error(`state ${current} is not in the definition`);
    statesEntered.push(current);
    if (state.Type === 'Succeed') return finish('SUCCEEDED');
    if (state.Type === 'Fail') return finish('FAILED');
    if (state.Type !== 'Task') {
      current = state.End ? undefined : state.Next;
      continue;
    }
    const planned = outcomes[current] ?? [];
    const attempts: TaskAttempts = { state: current, resource: state.Resource ?? '', outcomes: [] };
    tasks.push(attempts);
    const used = new Map<number, number>();
    let next: string | undefined;
    for (let attempt = 0; ; attempt++) {
      const outcome = planned[attempt] ?? 'ok';
      attempts.outcomes.push(outcome);
      if (outcome === 'ok') {
        next = state.End ? undefined : state.Next;
        break;
      }
      const retrierIndex = (state.Retry ?? []).findIndex((r) => matches(r.ErrorEquals, outcome));
      if (retrierIndex >= 0) {
        const max = state.Retry![retrierIndex]!.MaxAttempts ?? 3;
        const count = used.get(retrierIndex) ?? 0;
        if (count < max) {
          used.set(retrierIndex, count + 1);
          retries += 1;
          continue;
        }
      }
      const catcher = (state.Catch ?? []).find((c) => matches(c.ErrorEquals, outcome));
      if (!catcher) return finish('FAILED');
      next = catcher.Next;
      break;
    }
    if (next === undefined) return finish('SUCCEEDED');
    current = next;
  }
  return finish('SUCCEEDED');

  function finish(status: SagaRun['status']): SagaRun {
    return { statesEntered, tasks, retries, billableTransitions: statesEntered.length + retries, status };
  }
}

/** `...:function:inventory-${sls:stage}-reserve` (or a resolved ARN) -> `inventory.reserve`. */
export function functionOfResource(resource: string): string {
  const match = /function:([a-z0-9]+)-(?:\$\{[^}]+\}|[A-Za-z0-9]+)-([A-Za-z0-9]+)$/.exec(resource) ?? /sagaSteps\.([A-Za-z]+)\}$/.exec(resource);
  if (!match) throw new Error(`cannot tell the function of Task resource ${resource}`);
  return match.length === 3 ? `${match[1]}.${match[2]}` : SAGA_STEP_FUNCTIONS[match[1]!] ?? match[1]!;
}

/** services/order/serverless.yml custom.sagaSteps -> function (the definition names them by these keys). */
export const SAGA_STEP_FUNCTIONS: Record<string, string> = {
  reserveInventory: 'inventory.reserve',
  releaseInventory: 'inventory.release',
  shipOrder: 'inventory.ship',
  processPayment: 'payment.charge',
  refundPayment: 'payment.refund',
  confirmOrder: 'order.confirmOrder',
  markOrderFailed: 'order.markOrderFailed',
};
