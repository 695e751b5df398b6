import { viewOf } from './helpers/fixtures';

describe('pathTaken', () => {
  it('names the Catch edge for a caught failure and Next edges elsewhere', () => {
    const { path } = viewOf('saga-compensated');
    expect(path.transitions.map((t) => `${t.from}->${t.to}:${t.kind}`)).toEqual([
      'ReserveInventory->ProcessPayment:next',
      'ProcessPayment->ShipOrder:next',
      'ShipOrder->RefundPaymentAfterShippingFailed:catch',
      'RefundPaymentAfterShippingFailed->ReleaseInventoryAfterShippingFailed:next',
      'ReleaseInventoryAfterShippingFailed->MarkOrderFailed:next',
      'MarkOrderFailed->OrderFailed:next',
    ]);
  });

  it('records the outcome of every visited state, and only those', () => {
    const { path } = viewOf('saga-declined');
    expect(path.states).toEqual({
      ReserveInventory: { status: 'succeeded', visits: 1, retries: 0, compensation: false },
      ProcessPayment: { status: 'caught', visits: 1, retries: 0, compensation: false },
      ReleaseInventoryAfterPaymentDeclined: { status: 'succeeded', visits: 1, retries: 0, compensation: true },
      MarkOrderFailed: { status: 'succeeded', visits: 1, retries: 0, compensation: true },
      OrderFailed: { status: 'failed', visits: 1, retries: 0, compensation: false },
    });
  });

  it('after a redrive the state shows its latest outcome and both visits', () => {
    const { path } = viewOf('saga-redriven');
    expect(path.states['ConfirmOrder']).toEqual({ status: 'succeeded', visits: 2, retries: 2, compensation: false });
    // The restart itself is not a transition of the definition.
    expect(path.transitions.filter((t) => t.to === 'ConfirmOrder')).toEqual([{ from: 'ShipOrder', to: 'ConfirmOrder', kind: 'next', count: 1 }]);
  });

  it('keeps Parallel branches and Map iterations apart, counting repeated transitions', () => {
    const { path } = viewOf('nested-succeeded');
    const text = path.transitions.map((t) => `${t.from}->${t.to}:${t.kind}x${t.count}`);
    expect(text).toEqual(
      expect.arrayContaining(['BranchA1->BranchA2:nextx1', 'Double->Check:nextx3', 'Check->Small:defaultx2', 'Check->Big:choicex1']),
    );
    expect(text.some((t) => t.startsWith('BranchA1->BranchB1') || t.startsWith('BranchB1->'))).toBe(false);
  });
});
