import { viewOf } from './helpers/fixtures';

describe('summarize', () => {
  it('a successful execution: duration, transitions, no error, no compensation', () => {
    const { summary } = viewOf('saga-succeeded');
    expect(summary).toMatchObject({ name: 'ord-success', status: 'SUCCEEDED', transitions: 5, retries: 0, compensated: false, compensations: [] });
    expect(summary.error).toBeUndefined();
    expect(summary.trigger).toBeUndefined();
    expect(summary.durationMs).toBe(Date.parse(summary.stoppedAt!) - Date.parse(summary.startedAt));
  });

  it('a compensated execution: the Fail state, the triggering error and the compensations in order', () => {
    const { summary } = viewOf('saga-compensated');
    expect(summary).toMatchObject({
      status: 'FAILED',
      error: 'OrderFailed',
      failedState: 'OrderFailed',
      trigger: { state: 'ShipOrder', error: 'ShippingFailed' },
      compensated: true,
      compensations: ['RefundPaymentAfterShippingFailed', 'ReleaseInventoryAfterShippingFailed', 'MarkOrderFailed'],
    });
  });

  it('an execution that failed in a step: that step, its error, the retries', () => {
    const { summary } = viewOf('saga-stuck');
    expect(summary).toMatchObject({ status: 'FAILED', failedState: 'ConfirmOrder', error: 'OrderStoreUnavailable', retries: 2, compensated: false });
  });

  it('a redriven execution that succeeded carries its redrive count and no error', () => {
    const { summary } = viewOf('saga-redriven');
    expect(summary).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    expect(summary.failedState).toBeUndefined();
    expect(summary.error).toBeUndefined();
  });
});
