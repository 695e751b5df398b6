import fc from 'fast-check';
import type * as z from 'zod/mini';
import {
  ProcessPaymentInput,
  ProcessPaymentOutput,
  ReleaseInventoryInput,
  ReleaseInventoryOutput,
  RefundPaymentInput,
  RefundPaymentOutput,
  ReserveInventoryInput,
  ReserveInventoryOutput,
  SagaInput,
  ShipOrderInput,
  ShipOrderOutput,
  TRANSIENT_ERROR_NAMES,
  type FailureReason,
} from '@order-platform/shared';
import { ConfirmOrderInput, failureReasonOf, MarkOrderFailedInput } from '../../src/domain/saga-steps';
import { PAYMENT, RESERVATION, SHIPMENT } from '../support/fixtures';
import { loadTemplate, type CfnTemplate } from '../../../../test/templates/templates';
import { sagaDefinitionFrom, SAGA_LOGICAL_ID, type AslDefinition } from './saga-asl';
import { predecessors, simulate, type Run, type TaskOutcome } from './simulate';

let template: CfnTemplate;
let definition: AslDefinition;
beforeAll(() => {
  template = loadTemplate('order');
  definition = sagaDefinitionFrom(template);
});

const ARN_PREFIX = 'arn:aws:lambda:eu-west-1:123456789012:function:';
const EXECUTION_ID = 'arn:aws:states:eu-west-1:123456789012:execution:order-local-saga:ord_abc123';
const sagaInput: SagaInput = {
  orderId: 'ord_abc123',
  customerId: 'cust-1',
  email: 'ada@example.com',
  items: [{ sku: 'SKU-1', quantity: 2 }, { sku: 'SKU-2', quantity: 1 }],
  paymentToken: 'tok_visa',
};

/** The seven functions the saga may call: the contract each must be sent, and a valid answer. */
const STEPS: Record<string, { input: z.ZodMiniObject; answer: (input: never) => unknown; outputSchema?: z.ZodMiniType }> = {
  'inventory-local-reserve': { input: ReserveInventoryInput, answer: () => RESERVATION, outputSchema: ReserveInventoryOutput },
  'payment-local-charge': { input: ProcessPaymentInput, answer: () => PAYMENT, outputSchema: ProcessPaymentOutput },
  'inventory-local-ship': { input: ShipOrderInput, answer: () => SHIPMENT, outputSchema: ShipOrderOutput },
  'inventory-local-release': { input: ReleaseInventoryInput, answer: () => ({ status: 'RELEASED' }), outputSchema: ReleaseInventoryOutput },
  'payment-local-refund': { input: RefundPaymentInput, answer: () => ({ status: 'REFUNDED' }), outputSchema: RefundPaymentOutput },
  'order-local-confirmOrder': {
    input: ConfirmOrderInput,
    answer: (input: ConfirmOrderInput) => ({ orderId: input.orderId, status: 'CONFIRMED', confirmedAt: SHIPMENT.shippedAt }),
  },
  'order-local-markOrderFailed': {
    // The real rule: the reason the order records is derived from the state the definition hands over.
    input: MarkOrderFailedInput,
    answer: (input: MarkOrderFailedInput) => ({ orderId: input.orderId, status: 'FAILED', failureReason: failureReasonOf(input.saga) }),
  },
};

const functionOf = (resource: string) => resource.slice(ARN_PREFIX.length);

/** Runs the saga with every step answering per its contract, except `failing`, which throws `error`. */
function runWith(failing: Record<string, string> = {}): Run {
  return simulate(
    definition,
    sagaInput,
    (stateName, resource, input): TaskOutcome => {
      const step = STEPS[functionOf(resource)];
      if (!resource.startsWith(ARN_PREFIX) || !step) throw new Error(`${stateName} calls an unexpected resource ${resource}`);
      // The state machine must build exactly the step's contract: no missing and no extra field.
      expect(Object.keys(input).sort()).toEqual(Object.keys(step.input.shape).sort());
      const parsed = step.input.safeParse(input);
      if (!parsed.success) throw new Error(`${stateName} input breaks its contract: ${parsed.error.message}`);
      const error = failing[stateName];
      if (error !== undefined) return { error, cause: JSON.stringify({ errorMessage: `${error} in ${stateName}` }) };
      const output = step.answer(parsed.data as never);
      step.outputSchema?.parse(output);
      return { output };
    },
    EXECUTION_ID,
  );
}

function failureReasonRecorded(run: Run): FailureReason | undefined {
  const mark = run.taskInputs.find((t) => t.state === 'MarkOrderFailed');
  return mark ? failureReasonOf(MarkOrderFailedInput.parse(mark.input).saga) : undefined;
}

const FORWARD = ['ReserveInventory', 'ProcessPayment', 'ShipOrder'];
const COMPENSATIONS = [
  'ReleaseInventoryAfterReserveFailed',
  'ReleaseInventoryAfterPaymentDeclined',
  'RefundPaymentAfterPaymentFailed',
  'ReleaseInventoryAfterPaymentFailed',
  'RefundPaymentAfterShippingFailed',
  'ReleaseInventoryAfterShippingFailed',
];
const FAILED_END = ['MarkOrderFailed', 'OrderFailed'];

// The expected path of every (step, error) pair: the compensation choices, written out.
const onReserveFailure = ['ReserveInventory', 'ReleaseInventoryAfterReserveFailed', ...FAILED_END];
const onPaymentFailure = ['ReserveInventory', 'ProcessPayment', 'RefundPaymentAfterPaymentFailed', 'ReleaseInventoryAfterPaymentFailed', ...FAILED_END];
const onShippingFailure = ['ReserveInventory', 'ProcessPayment', 'ShipOrder', 'RefundPaymentAfterShippingFailed', 'ReleaseInventoryAfterShippingFailed', ...FAILED_END];
const TRANSIENT = 'TransientError';
const DEFECT = 'TypeError';

const expectations: Array<[string, string, string[], FailureReason]> = [
  ['ReserveInventory', 'OutOfStock', ['ReserveInventory', ...FAILED_END], 'OUT_OF_STOCK'],
  ['ReserveInventory', 'PaymentDeclined', onReserveFailure, 'INTERNAL_ERROR'],
  ['ReserveInventory', 'ShippingFailed', onReserveFailure, 'INTERNAL_ERROR'],
  ['ReserveInventory', TRANSIENT, onReserveFailure, 'INVENTORY_UNAVAILABLE'],
  ['ReserveInventory', 'States.Timeout', onReserveFailure, 'INVENTORY_UNAVAILABLE'],
  ['ReserveInventory', DEFECT, onReserveFailure, 'INTERNAL_ERROR'],
  ['ProcessPayment', 'PaymentDeclined', ['ReserveInventory', 'ProcessPayment', 'ReleaseInventoryAfterPaymentDeclined', ...FAILED_END], 'PAYMENT_DECLINED'],
  ['ProcessPayment', 'OutOfStock', onPaymentFailure, 'INTERNAL_ERROR'],
  ['ProcessPayment', 'ShippingFailed', onPaymentFailure, 'INTERNAL_ERROR'],
  ['ProcessPayment', TRANSIENT, onPaymentFailure, 'PAYMENT_UNAVAILABLE'],
  ['ProcessPayment', 'Lambda.Unknown', onPaymentFailure, 'PAYMENT_UNAVAILABLE'],
  ['ProcessPayment', DEFECT, onPaymentFailure, 'INTERNAL_ERROR'],
  ['ShipOrder', 'ShippingFailed', onShippingFailure, 'SHIPPING_FAILED'],
  ['ShipOrder', 'OutOfStock', onShippingFailure, 'INTERNAL_ERROR'],
  ['ShipOrder', 'PaymentDeclined', onShippingFailure, 'INTERNAL_ERROR'],
  ['ShipOrder', TRANSIENT, onShippingFailure, 'SHIPPING_UNAVAILABLE'],
  ['ShipOrder', 'Sandbox.Timedout', onShippingFailure, 'SHIPPING_UNAVAILABLE'],
  ['ShipOrder', DEFECT, onShippingFailure, 'INTERNAL_ERROR'],
];

describe('the saga walks', () => {
  test('the happy path: reserve, charge, ship, confirm, succeed, with no compensation', () => {
    const run = runWith();
    expect(run.path).toEqual([...FORWARD, 'ConfirmOrder', 'OrderConfirmed']);
    expect(run.ending.type).toBe('Succeed');
    // Data flows as the contracts say: the charge is the reserved total; confirm gets all three results.
    expect(run.taskInputs.find((t) => t.state === 'ProcessPayment')!.input.amount).toEqual(RESERVATION.total);
    expect(run.taskInputs.find((t) => t.state === 'ConfirmOrder')!.input).toEqual({
      orderId: 'ord_abc123',
      executionArn: EXECUTION_ID,
      reservation: RESERVATION,
      payment: PAYMENT,
      shipment: SHIPMENT,
    });
  });

  test.each(expectations)('%s failing with %s: %j, order FAILED with %s', (step, error, path, reason) => {
    const run = runWith({ [step]: error });
    expect(run.path).toEqual(path);
    expect(run.ending).toEqual({ type: 'Fail', state: 'OrderFailed', error: 'OrderFailed', cause: expect.any(String) });
    expect(failureReasonRecorded(run)).toBe(reason);
    // Transient errors are retried (8 more attempts) before the saga gives up; business errors and defects are not.
    const transient = (TRANSIENT_ERROR_NAMES as readonly string[]).includes(error);
    expect(run.attempts[step]).toBe(transient ? 9 : 1);
  });

  test('property: any error name unknown to the saga takes the step\'s catch-all compensation path', () => {
    const known = new Set(['OutOfStock', 'PaymentDeclined', ...TRANSIENT_ERROR_NAMES]);
    const paths: Record<string, string[]> = { ReserveInventory: onReserveFailure, ProcessPayment: onPaymentFailure, ShipOrder: onShippingFailure };
    fc.assert(
      fc.property(
        fc.constantFrom(...FORWARD),
        fc.string({ minLength: 1, maxLength: 40 }).filter((name) => !known.has(name)),
        (step, error) => {
          const run = runWith({ [step]: error });
          expect(run.path).toEqual(paths[step]);
          expect(run.attempts[step]).toBe(1);
        },
      ),
      { numRuns: 50 },
    );
  });

  test('the saga state reaching MarkOrderFailed keeps the caught error at a per-step ResultPath', () => {
    const run = runWith({ ProcessPayment: 'PaymentDeclined' });
    const { saga } = MarkOrderFailedInput.parse(run.taskInputs.find((t) => t.state === 'MarkOrderFailed')!.input);
    expect(saga.reservation).toEqual(RESERVATION);
    expect(saga.paymentError).toEqual({ Error: 'PaymentDeclined', Cause: expect.stringContaining('PaymentDeclined') });
    expect(saga.reserveError).toBeUndefined();
    expect(saga.shippingError).toBeUndefined();
  });

  test.each([['ConfirmOrder'], ['MarkOrderFailed'], ...COMPENSATIONS.map((s) => [s])])(
    '%s still failing after its retries fails the execution loudly (no catch, nothing more runs)',
    (state) => {
      // Reach the state: each compensation by the failure that leads to it.
      const leadsTo: Record<string, Record<string, string>> = {
        ConfirmOrder: {},
        MarkOrderFailed: { ReserveInventory: 'OutOfStock' },
        ReleaseInventoryAfterReserveFailed: { ReserveInventory: 'TransientError' },
        ReleaseInventoryAfterPaymentDeclined: { ProcessPayment: 'PaymentDeclined' },
        RefundPaymentAfterPaymentFailed: { ProcessPayment: 'TransientError' },
        ReleaseInventoryAfterPaymentFailed: { ProcessPayment: 'TransientError' },
        RefundPaymentAfterShippingFailed: { ShipOrder: 'ShippingFailed' },
        ReleaseInventoryAfterShippingFailed: { ShipOrder: 'ShippingFailed' },
      };
      const run = runWith({ ...leadsTo[state], [state]: 'TransientError' });
      expect(run.ending).toEqual({ type: 'ExecutionFailed', state, error: 'TransientError' });
      expect(run.path[run.path.length - 1]).toBe(state);
      expect(run.attempts[state]).toBe(11);
    },
  );
});

describe('the saga definition', () => {
  const tasks = () => Object.entries(definition.States).filter(([, s]) => s.Type === 'Task');

  test('has exactly the expected states, all reachable', () => {
    expect(Object.keys(definition.States).sort()).toEqual(
      [...FORWARD, 'ConfirmOrder', 'OrderConfirmed', ...COMPENSATIONS, ...FAILED_END].sort(),
    );
    const reachable = new Set<string>();
    const visit = (name: string) => {
      if (reachable.has(name)) return;
      reachable.add(name);
      const state = definition.States[name]!;
      if (state.Next) visit(state.Next);
      (state.Catch ?? []).forEach((c) => visit(c.Next));
    };
    visit(definition.StartAt);
    expect([...reachable].sort()).toEqual(Object.keys(definition.States).sort());
  });

  test('every Fail state is entered only from MarkOrderFailed, and MarkOrderFailed only leads to Fail', () => {
    const fails = Object.entries(definition.States).filter(([, s]) => s.Type === 'Fail');
    expect(fails.length).toBeGreaterThan(0);
    for (const [name] of fails) expect(predecessors(definition, name)).toEqual(['MarkOrderFailed']);
    expect(definition.States.MarkOrderFailed!.Next).toBe('OrderFailed');
  });

  test('forward steps retry the transient errors only: exactly TRANSIENT_ERROR_NAMES, 9 attempts, backoff 2', () => {
    const prod = sagaDefinitionFrom(loadTemplate('order', 'prod'));
    for (const name of FORWARD) {
      const retry = definition.States[name]!.Retry!;
      expect(retry).toHaveLength(1);
      expect([...retry[0]!.ErrorEquals].sort()).toEqual([...TRANSIENT_ERROR_NAMES].sort());
      // Local: the same attempts, at most 2 s apart (forwardRetryMaxDelaySeconds); 10 s on AWS.
      expect(retry[0]).toMatchObject({ IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 8, MaxDelaySeconds: 2 });
      expect(prod.States[name]!.Retry).toEqual([expect.objectContaining({ MaxAttempts: 8, MaxDelaySeconds: 10 })]);
    }
  });

  test('compensations, ConfirmOrder and MarkOrderFailed retry transient errors many times, defects never, and catch nothing', () => {
    const prod = sagaDefinitionFrom(loadTemplate('order', 'prod'));
    for (const name of [...COMPENSATIONS, 'ConfirmOrder', 'MarkOrderFailed']) {
      const state = definition.States[name]!;
      // Local: the same attempts, at most 4 s apart (services/order/serverless.yml, retryMaxDelaySeconds).
      expect(state.Retry).toEqual([expect.objectContaining({ MaxAttempts: 10, MaxDelaySeconds: 4 })]);
      expect([...state.Retry![0]!.ErrorEquals].sort()).toEqual([...TRANSIENT_ERROR_NAMES].sort());
      expect(prod.States[name]!.Retry).toEqual([expect.objectContaining({ MaxAttempts: 10, MaxDelaySeconds: 30 })]);
      expect(state.Catch).toBeUndefined();
    }
  });

  test.each(['ConfirmOrder', 'MarkOrderFailed'])('%s failing with a defect fails the execution at once, for ops to redrive', (step) => {
    const run = runWith({ [step]: DEFECT, ...(step === 'MarkOrderFailed' ? { ReserveInventory: 'OutOfStock' } : {}) });
    expect(run.ending).toMatchObject({ type: 'ExecutionFailed', error: DEFECT });
    expect(run.attempts[step]).toBe(1);
  });

  test('every Retry has full jitter and a delay cap', () => {
    for (const [, state] of tasks()) {
      expect(state.Retry!.length).toBeGreaterThan(0);
      for (const retrier of state.Retry!) {
        expect(retrier.JitterStrategy).toBe('FULL');
        expect(retrier.MaxDelaySeconds).toBeGreaterThan(0);
      }
    }
  });

  test('each forward step catches into its own ResultPath; results land at the contract paths', () => {
    const catchPaths = Object.fromEntries(FORWARD.map((n) => [n, [...new Set(definition.States[n]!.Catch!.map((c) => c.ResultPath))]]));
    expect(catchPaths).toEqual({ ReserveInventory: ['$.reserveError'], ProcessPayment: ['$.paymentError'], ShipOrder: ['$.shippingError'] });
    const resultPaths = Object.fromEntries(tasks().map(([n, s]) => [n, s.ResultPath]));
    expect(resultPaths).toEqual({
      ReserveInventory: '$.reservation',
      ProcessPayment: '$.payment',
      ShipOrder: '$.shipment',
      ConfirmOrder: '$.confirmation',
      MarkOrderFailed: '$.failure',
      ReleaseInventoryAfterReserveFailed: '$.release',
      ReleaseInventoryAfterPaymentDeclined: '$.release',
      ReleaseInventoryAfterPaymentFailed: '$.release',
      ReleaseInventoryAfterShippingFailed: '$.release',
      RefundPaymentAfterPaymentFailed: '$.refund',
      RefundPaymentAfterShippingFailed: '$.refund',
    });
    expect(definition.States.MarkOrderFailed!.Parameters).toEqual({ 'orderId.$': '$.orderId', 'executionArn.$': '$$.Execution.Id', 'saga.$': '$' });
  });

  test('every Task calls a Lambda function ARN built from the predictable names, with a timeout; the machine has one too', () => {
    const resources = Object.fromEntries(tasks().map(([n, s]) => [n, s.Resource]));
    expect(resources).toEqual({
      ReserveInventory: `${ARN_PREFIX}inventory-local-reserve`,
      ProcessPayment: `${ARN_PREFIX}payment-local-charge`,
      ShipOrder: `${ARN_PREFIX}inventory-local-ship`,
      ConfirmOrder: `${ARN_PREFIX}order-local-confirmOrder`,
      MarkOrderFailed: `${ARN_PREFIX}order-local-markOrderFailed`,
      ReleaseInventoryAfterReserveFailed: `${ARN_PREFIX}inventory-local-release`,
      ReleaseInventoryAfterPaymentDeclined: `${ARN_PREFIX}inventory-local-release`,
      ReleaseInventoryAfterPaymentFailed: `${ARN_PREFIX}inventory-local-release`,
      ReleaseInventoryAfterShippingFailed: `${ARN_PREFIX}inventory-local-release`,
      RefundPaymentAfterPaymentFailed: `${ARN_PREFIX}payment-local-refund`,
      RefundPaymentAfterShippingFailed: `${ARN_PREFIX}payment-local-refund`,
    });
    for (const [, state] of tasks()) expect(state.TimeoutSeconds).toBe(30);
    expect(definition.TimeoutSeconds).toBe(900);
  });

  test('uses JSONPath only (what the template tests\' interpreter and the cost model read)', () => {
    expect(definition.QueryLanguage).toBe('JSONPath');
    for (const state of Object.values(definition.States)) {
      expect([undefined, 'JSONPath']).toContain(state.QueryLanguage);
      for (const jsonataOnly of ['Assign', 'Arguments', 'Output']) expect(state).not.toHaveProperty(jsonataOnly);
    }
    expect(JSON.stringify(definition)).not.toContain('{%');
  });
});

describe('the state machine resource', () => {
  test('is a STANDARD machine with its own role, X-Ray, and logs without execution data', () => {
    const machine = template.Resources[SAGA_LOGICAL_ID]!;
    expect(machine.Type).toBe('AWS::StepFunctions::StateMachine');
    expect(machine.Properties).toMatchObject({
      StateMachineName: 'order-local-saga',
      StateMachineType: 'STANDARD',
      RoleArn: { 'Fn::GetAtt': ['OrderSagaRole', 'Arn'] },
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { IncludeExecutionData: false },
    });
  });

  test('its role may invoke exactly the seven step functions the definition calls', () => {
    const role = template.Resources.OrderSagaRole!;
    const statements = (role.Properties?.Policies as Array<{ PolicyDocument: { Statement: Array<{ Action: string | string[]; Resource: unknown }> } }>)
      .flatMap((p) => p.PolicyDocument.Statement);
    const invoke = statements.filter((s) => [s.Action].flat().includes('lambda:InvokeFunction'));
    expect(invoke).toHaveLength(1);
    const invocable = (invoke[0]!.Resource as Array<{ 'Fn::Sub': string }>).map((r) => r['Fn::Sub']);
    for (const arn of invocable) expect(arn).toMatch(/^arn:\$\{AWS::Partition\}:lambda:\$\{AWS::Region\}:\$\{AWS::AccountId\}:function:[a-z]+-local-[A-Za-z]+$/);
    const called = new Set(tasks().map(([, s]) => functionOf(s.Resource!)));
    expect(invocable.map((arn) => arn.split(':function:')[1]).sort()).toEqual([...called].sort());
    expect(called.size).toBe(7);
    // No action on every resource except the two AWS only grants that way (X-Ray, log delivery).
    for (const statement of statements.filter((s) => s.Resource === '*')) {
      for (const action of [statement.Action].flat()) expect(action).toMatch(/^(xray|logs):/);
    }
  });

  function tasks() {
    return Object.entries(definition.States).filter(([, s]) => s.Type === 'Task');
  }
});
