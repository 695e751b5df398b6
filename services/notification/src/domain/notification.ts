/**
 * The events this service turns into customer notifications (the subscriptions' filter policies).
 * Here, not in notifiable-event.ts: that module loads Powertools' parser (zod classic), which the
 * functions that only need the names (listNotifications) should not load at cold start.
 */
export const NOTIFIABLE_EVENT_TYPES = ['OrderConfirmed', 'OrderFailed', 'PaymentRefunded'] as const;
export type NotifiableEventType = (typeof NOTIFIABLE_EVENT_TYPES)[number];

/** How a notification reaches the customer: SES e-mail in AWS, the stored record itself locally. */
export const DELIVERY_CHANNELS = ['ses', 'record'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/**
 * SENDING: claimed by one consumer, which is delivering it now (or crashed while doing so).
 * SENT: delivered; any later copy of the event is a duplicate and is skipped.
 */
export type NotificationStatus = 'SENDING' | 'SENT';

/** One row of the notifications table (key: orderId, notificationId): one per event (notificationId = the event's eventId). */
export interface NotificationRecord {
  notificationId: string;
  orderId: string;
  eventType: NotifiableEventType;
  channel: DeliveryChannel;
  to: string;
  subject: string;
  text: string;
  status: NotificationStatus;
  /** When the event was first claimed; an order's notifications are listed in this order. */
  createdAt: string;
  /** When the current owner claimed it; the optimistic lock of take-over, mark-sent and release. */
  claimedAt: string;
  /** How many consumers have claimed it (1 unless a crashed claim was taken over). */
  attempts: number;
  sentAt?: string;
  /** The provider's id of the sent message (SES MessageId), for support. */
  providerMessageId?: string;
}

/** What support and tests read through GET /notifications (see NotificationView in schemas.ts). */
export function toNotificationView(record: NotificationRecord) {
  return {
    notificationId: record.notificationId,
    orderId: record.orderId,
    eventType: record.eventType,
    channel: record.channel,
    to: record.to,
    subject: record.subject,
    text: record.text,
    status: record.status,
    createdAt: record.createdAt,
    sentAt: record.sentAt ?? null,
  };
}
