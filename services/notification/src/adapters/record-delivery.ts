import type { DeliveryReceipt, NotificationDelivery } from '../domain/ports';

/**
 * The local channel: the notification record that the Notifier marks SENT, with the rendered
 * subject and text, is the delivery itself (read it back with GET /notifications?orderId=...).
 */
export class RecordDelivery implements NotificationDelivery {
  readonly channel = 'record' as const;

  async deliver(): Promise<DeliveryReceipt> {
    return {};
  }
}
