import fc from 'fast-check';
import { FailureReason } from '@order-platform/shared';
import { FAILURE_SENTENCES, renderNotification } from '../../src/domain/render';
import { orderConfirmed, orderFailed, paymentRefunded } from '../support/events';

test('order confirmed lists every line with its total and the order total', () => {
  expect(renderNotification(orderConfirmed('ord-42'))).toEqual({
    to: 'ada@example.com',
    subject: 'Your order ord-42 is confirmed',
    text: [
      'Good news: your order ord-42 is confirmed and on its way.',
      '',
      '  2 x SKU-MUG at 12.50 EUR = 25.00 EUR',
      '  1 x SKU-TEE at 19.99 EUR = 19.99 EUR',
      '  Total: 44.99 EUR',
      '',
      'Thank you for shopping with us.',
      '',
    ].join('\n'),
  });
});

test.each(FailureReason.options)('order failed with %s explains that reason to the customer', (reason) => {
  const message = renderNotification(orderFailed(reason, 'ord-7'));
  expect(message.to).toBe('ada@example.com');
  expect(message.subject).toBe('We could not complete your order ord-7');
  expect(message.text).toContain('your order ord-7 could not be completed');
  expect(message.text).toContain(FAILURE_SENTENCES[reason]);
  expect(message.text).not.toMatch(/[A-Z]+_[A-Z]+/); // no machine codes in front of customers
});

test('every failure reason has its own sentence', () => {
  const sentences = FailureReason.options.map((reason) => FAILURE_SENTENCES[reason]);
  expect(new Set(sentences).size).toBe(FailureReason.options.length);
});

test('payment refunded states the amount refunded', () => {
  const message = renderNotification(paymentRefunded('ord-9'));
  expect(message.subject).toBe('Your refund for order ord-9');
  expect(message.text).toContain('We have refunded 44.99 EUR for order ord-9 to your original payment method.');
});

test('a message always goes to the event e-mail, names the order and renders identically on a retry', () => {
  const event = fc.oneof(
    fc.constant(orderConfirmed()),
    fc.constantFrom(...FailureReason.options).map((reason) => orderFailed(reason)),
    fc.constant(paymentRefunded()),
  );
  fc.assert(
    fc.property(event, fc.stringMatching(/^[A-Za-z0-9-]{1,64}$/), fc.emailAddress(), (base, orderId, email) => {
      const e = { ...base, data: { ...base.data, orderId, email } } as typeof base;
      const message = renderNotification(e);
      expect(message.to).toBe(email);
      expect(message.subject).toContain(orderId);
      expect(message.text).toContain(orderId);
      expect(renderNotification(e)).toEqual(message);
    }),
  );
});
