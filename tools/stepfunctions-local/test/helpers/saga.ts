/**
 * The order saga exactly as written in the seed (section サーガパターン, `orderSagaDefinition`),
 * with its `${...FunctionArn}` placeholders left for the test to fill with Lambda ARNs.
 */
const orderSagaDefinition = {
  Comment: 'Order Processing Saga',
  StartAt: 'ReserveInventory',
  States: {
    ReserveInventory: {
      Type: 'Task',
      Resource: '${ReserveInventoryFunctionArn}',
      Next: 'ProcessPayment',
      Catch: [{
        ErrorEquals: ['States.ALL'],
        Next: 'InventoryReservationFailed',
      }],
    },
    ProcessPayment: {
      Type: 'Task',
      Resource: '${ProcessPaymentFunctionArn}',
      Next: 'ShipOrder',
      Catch: [{
        ErrorEquals: ['States.ALL'],
        Next: 'PaymentFailed',
      }],
    },
    ShipOrder: {
      Type: 'Task',
      Resource: '${ShipOrderFunctionArn}',
      End: true,
      Catch: [{
        ErrorEquals: ['States.ALL'],
        Next: 'ShippingFailed',
      }],
    },
    // 補償トランザクション
    InventoryReservationFailed: {
      Type: 'Fail',
      Cause: 'Failed to reserve inventory',
    },
    PaymentFailed: {
      Type: 'Task',
      Resource: '${ReleaseInventoryFunctionArn}',
      Next: 'PaymentFailedState',
    },
    PaymentFailedState: {
      Type: 'Fail',
      Cause: 'Payment processing failed',
    },
    ShippingFailed: {
      Type: 'Task',
      Resource: '${RefundPaymentFunctionArn}',
      Next: 'ReleaseInventoryAfterShipFail',
    },
    ReleaseInventoryAfterShipFail: {
      Type: 'Task',
      Resource: '${ReleaseInventoryFunctionArn}',
      Next: 'ShippingFailedState',
    },
    ShippingFailedState: {
      Type: 'Fail',
      Cause: 'Shipping failed',
    },
  },
};

export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';

/** Function names as the project deploys them (`<service>-<stage>-<function>`). */
export const FUNCTIONS = {
  ReserveInventoryFunctionArn: 'inventory-local-reserveInventory',
  ProcessPaymentFunctionArn: 'payment-local-processPayment',
  ShipOrderFunctionArn: 'inventory-local-shipOrder',
  ReleaseInventoryFunctionArn: 'inventory-local-releaseInventory',
  RefundPaymentFunctionArn: 'payment-local-refundPayment',
} as const;

export type Placeholder = keyof typeof FUNCTIONS;

export const lambdaArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

/** The seed's definition as JSON text, placeholders replaced by Lambda ARNs. */
export function sagaDefinition(): string {
  return JSON.stringify(orderSagaDefinition).replace(/\$\{(\w+)\}/gu, (_, key: string) => {
    const name = FUNCTIONS[key as Placeholder];
    if (!name) throw new Error(`unknown placeholder ${key}`);
    return lambdaArn(name);
  });
}

/** A structured copy of the saga to derive variants (Retry, no Catch) from. */
export function sagaObject(): { StartAt: string; States: Record<string, Record<string, unknown>> } {
  return JSON.parse(sagaDefinition()) as { StartAt: string; States: Record<string, Record<string, unknown>> };
}
