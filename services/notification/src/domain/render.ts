import type { FailureReason } from '@order-platform/shared';
import { formatMoney, lineTotal } from './money';
import type { NotifiableEvent } from './notifiable-event';

/** What the customer receives, whatever the channel. */
export interface RenderedMessage {
  to: string;
  subject: string;
  text: string;
}

/** One customer-friendly explanation per failure reason; the type forces a sentence for every reason. */
export const FAILURE_SENTENCES: Record<FailureReason, string> = {
  OUT_OF_STOCK: 'Some of the items you ordered are out of stock, so we could not place your order. You have not been charged.',
  PAYMENT_DECLINED:
    'Your payment was declined, so we could not place your order. Please check your payment details or try another payment method.',
  SHIPPING_FAILED:
    'We could not arrange delivery of your order, so we have cancelled it. Any payment you made is being refunded in full.',
  INVENTORY_UNAVAILABLE:
    'We could not check our stock for your order just now, so we could not place it. You have not been charged; please try again in a little while.',
  PAYMENT_UNAVAILABLE:
    'Our payment provider could not be reached just now, so we could not place your order. Any payment you made is being refunded in full; please try again in a little while.',
  SHIPPING_UNAVAILABLE:
    'Our delivery service could not be reached just now, so we have cancelled your order. Any payment you made is being refunded in full; please try again in a little while.',
  INTERNAL_ERROR:
    'A technical problem on our side stopped your order, so we have cancelled it. Any payment you made is being refunded in full, and our team has been told.',
};

const SIGN_OFF = 'Thank you for shopping with us.';

function paragraphs(...parts: string[]): string {
  return `${parts.join('\n\n')}\n`;
}

/** Renders the one message each notifiable event type gives; pure, so a retry renders the same text. */
export function renderNotification(event: NotifiableEvent): RenderedMessage {
  const { orderId, email } = event.data;
  switch (event.eventType) {
    case 'OrderConfirmed': {
      const lines = event.data.lines.map(
        (line) =>
          `  ${line.quantity} x ${line.sku} at ${formatMoney({ amount: line.unitPrice, currency: line.currency })} = ${formatMoney(
            lineTotal(line.unitPrice, line.quantity, line.currency),
          )}`,
      );
      return {
        to: email,
        subject: `Your order ${orderId} is confirmed`,
        text: paragraphs(
          `Good news: your order ${orderId} is confirmed and on its way.`,
          [...lines, `  Total: ${formatMoney(event.data.total)}`].join('\n'),
          SIGN_OFF,
        ),
      };
    }
    case 'OrderFailed':
      return {
        to: email,
        subject: `We could not complete your order ${orderId}`,
        text: paragraphs(`We are sorry: your order ${orderId} could not be completed.`, FAILURE_SENTENCES[event.data.failureReason], SIGN_OFF),
      };
    case 'PaymentRefunded':
      return {
        to: email,
        subject: `Your refund for order ${orderId}`,
        text: paragraphs(
          `We have refunded ${formatMoney(event.data.amount)} for order ${orderId} to your original payment method.`,
          'Refunds usually reach your account within 5 to 10 business days.',
          SIGN_OFF,
        ),
      };
  }
}
