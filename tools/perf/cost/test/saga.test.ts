import { functionOfResource, loadSagaDefinition, walkSaga } from '../src/saga';
import { PATHS } from '../src/model';

const definition = loadSagaDefinition();
const path = (name: string) => PATHS.find((p) => p.name === name)!;

describe('walking the saga definition (services/order/saga.asl.yml)', () => {
  it('happy path: four tasks and the Succeed state, 5 transitions', () => {
    const run = walkSaga(definition, path('happy').outcomes);
    expect(run.statesEntered).toEqual(['ReserveInventory', 'ProcessPayment', 'ShipOrder', 'ConfirmOrder', 'OrderConfirmed']);
    expect(run.billableTransitions).toBe(5);
    expect(run.status).toBe('SUCCEEDED');
  });

  it('out of stock goes straight to MarkOrderFailed', () => {
    const run = walkSaga(definition, path('out-of-stock').outcomes);
    expect(run.statesEntered).toEqual(['ReserveInventory', 'MarkOrderFailed', 'OrderFailed']);
    expect(run.status).toBe('FAILED');
  });

  it('a declined card releases the stock', () => {
    expect(walkSaga(definition, path('payment-declined').outcomes).statesEntered).toEqual([
      'ReserveInventory',
      'ProcessPayment',
      'ReleaseInventoryAfterPaymentDeclined',
      'MarkOrderFailed',
      'OrderFailed',
    ]);
  });

  it('a transient payment failure is retried eight times (each retry a billed transition), then compensated', () => {
    const run = walkSaga(definition, path('payment-unavailable').outcomes);
    expect(run.retries).toBe(8);
    expect(run.tasks.find((t) => t.state === 'ProcessPayment')!.outcomes).toHaveLength(9);
    expect(run.statesEntered).toEqual([
      'ReserveInventory',
      'ProcessPayment',
      'RefundPaymentAfterPaymentFailed',
      'ReleaseInventoryAfterPaymentFailed',
      'MarkOrderFailed',
      'OrderFailed',
    ]);
    expect(run.billableTransitions).toBe(6 + 8);
  });

  it('a failed shipment refunds, then releases', () => {
    expect(walkSaga(definition, path('shipping-failed').outcomes).statesEntered).toEqual([
      'ReserveInventory',
      'ProcessPayment',
      'ShipOrder',
      'RefundPaymentAfterShippingFailed',
      'ReleaseInventoryAfterShippingFailed',
      'MarkOrderFailed',
      'OrderFailed',
    ]);
  });

  it('tells the function of a Task resource', () => {
    expect(functionOfResource('${self:custom.sagaSteps.reserveInventory}')).toBe('inventory.reserve');
    expect(functionOfResource('arn:aws:lambda:eu-west-1:1:function:payment-${sls:stage}-charge')).toBe('payment.charge');
    expect(functionOfResource('arn:aws:lambda:eu-west-1:1:function:order-prod-confirmOrder')).toBe('order.confirmOrder');
    for (const state of Object.values(definition.States)) if (state.Type === 'Task') expect(() => functionOfResource(state.Resource!)).not.toThrow();
  });
});
