import * as z from 'zod/mini';
import { schema } from '@order-platform/shared';
import { DELIVERY_CHANNELS, NOTIFIABLE_EVENT_TYPES } from './domain/notification';

/** GET /notifications query: exactly one orderId (HTTP API joins repeated parameters with commas). */
export const ListNotificationsQuery = /* @__PURE__ */ schema(() => z.strictObject({
  orderId: z
    .string({ error: (issue) => (issue.input === undefined ? 'orderId is required' : 'orderId must be a string') })
    .check(
      z.minLength(1, 'orderId must not be empty'),
      z.maxLength(64, 'orderId must be at most 64 characters'),
      z.regex(/^[A-Za-z0-9._:-]+$/, 'orderId may contain only letters, digits and . _ : -'),
    ),
}));
export type ListNotificationsQuery = z.infer<typeof ListNotificationsQuery>;

export const NotificationView = /* @__PURE__ */ schema(() => z.object({
  // Descriptions (for the OpenAPI document) registered as classic's `.describe()` does.
  notificationId: z.string().register(z.globalRegistry, { description: 'The eventId of the event notified about: <eventType>:<orderId>' }),
  orderId: z.string(),
  eventType: z.enum(NOTIFIABLE_EVENT_TYPES),
  channel: z.enum(DELIVERY_CHANNELS).register(z.globalRegistry, { description: 'ses: e-mail through Amazon SES; record: stored only (local stage)' }),
  to: z.email(),
  subject: z.string(),
  text: z.string(),
  status: z.enum(['SENDING', 'SENT']),
  createdAt: z.iso.datetime(),
  sentAt: z.nullable(z.iso.datetime()),
}));
export type NotificationView = z.infer<typeof NotificationView>;

/** 200 body of GET /notifications, oldest first. */
export const ListNotificationsResponse = /* @__PURE__ */ schema(() => z.object({ items: z.array(NotificationView) }));
export type ListNotificationsResponse = z.infer<typeof ListNotificationsResponse>;
