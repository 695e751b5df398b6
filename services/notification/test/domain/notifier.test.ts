import fc from 'fast-check';
import type { NotificationRecord } from '../../src/domain/notification';
import { ClaimInProgress, Notifier } from '../../src/domain/notifier';
import type { NotificationDelivery } from '../../src/domain/ports';
import { renderNotification, type RenderedMessage } from '../../src/domain/render';
import { orderConfirmed, orderFailed, paymentRefunded } from '../support/events';
import { InMemoryNotificationRepository } from '../support/in-memory-notification-repository';

const CLAIM_TIMEOUT_MS = 60_000;

class FakeDelivery implements NotificationDelivery {
  readonly channel = 'ses' as const;
  readonly sent: { notificationId: string; message: RenderedMessage }[] = [];
  readonly failures: Error[] = [];

  async deliver(message: RenderedMessage, notificationId: string) {
    await Promise.resolve();
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sent.push({ notificationId, message });
    return { providerMessageId: `ses-${this.sent.length}` };
  }
}

let clock: Date;
let repository: InMemoryNotificationRepository;
let delivery: FakeDelivery;
let notifier: Notifier;

beforeEach(() => {
  clock = new Date('2025-03-01T10:00:00.000Z');
  repository = new InMemoryNotificationRepository();
  delivery = new FakeDelivery();
  notifier = new Notifier({ repository, delivery, claimTimeoutMs: CLAIM_TIMEOUT_MS, now: () => clock });
});

const event = orderConfirmed('ord-1');
const id = event.eventId;

function seedClaim(ageMs: number): NotificationRecord {
  const claimedAt = new Date(clock.getTime() - ageMs).toISOString();
  const record: NotificationRecord = {
    notificationId: id,
    orderId: 'ord-1',
    eventType: 'OrderConfirmed',
    channel: 'ses',
    ...renderNotification(event),
    status: 'SENDING',
    createdAt: claimedAt,
    claimedAt,
    attempts: 1,
  };
  repository.records.set(id, record);
  return record;
}

test('the first copy of an event is claimed, delivered and marked SENT with the message', async () => {
  await expect(notifier.notify(event)).resolves.toEqual({ outcome: 'SENT', notificationId: id });
  expect(delivery.sent).toEqual([{ notificationId: id, message: renderNotification(event) }]);
  expect(repository.records.get(id)).toEqual({
    notificationId: id,
    orderId: 'ord-1',
    eventType: 'OrderConfirmed',
    channel: 'ses',
    ...renderNotification(event),
    status: 'SENT',
    createdAt: '2025-03-01T10:00:00.000Z',
    claimedAt: '2025-03-01T10:00:00.000Z',
    sentAt: '2025-03-01T10:00:00.000Z',
    attempts: 1,
    providerMessageId: 'ses-1',
  });
});

test('a later copy of a sent event is a duplicate and sends nothing', async () => {
  await notifier.notify(event);
  clock = new Date(clock.getTime() + 10 * CLAIM_TIMEOUT_MS);
  await expect(notifier.notify(event)).resolves.toEqual({ outcome: 'DUPLICATE', notificationId: id });
  expect(delivery.sent).toHaveLength(1);
});

test('a copy arriving while another consumer holds a fresh claim fails for a later retry, sending nothing', async () => {
  const claim = seedClaim(CLAIM_TIMEOUT_MS - 1);
  await expect(notifier.notify(event)).rejects.toThrow(ClaimInProgress);
  expect(delivery.sent).toHaveLength(0);
  expect(repository.records.get(id)).toEqual(claim);
});

test('a claim abandoned by a crashed consumer is taken over once stale, and sent', async () => {
  const abandoned = seedClaim(CLAIM_TIMEOUT_MS);
  await expect(notifier.notify(event)).resolves.toEqual({ outcome: 'TAKEN_OVER', notificationId: id });
  expect(delivery.sent).toHaveLength(1);
  expect(repository.records.get(id)).toMatchObject({
    status: 'SENT',
    attempts: 2,
    createdAt: abandoned.createdAt,
    claimedAt: clock.toISOString(),
  });
});

test('losing the take-over race to another consumer fails the copy without sending', async () => {
  seedClaim(CLAIM_TIMEOUT_MS);
  jest.spyOn(repository, 'takeOver').mockResolvedValueOnce(false);
  await expect(notifier.notify(event)).rejects.toThrow(/taken over by another consumer/);
  expect(delivery.sent).toHaveLength(0);
});

test('a failed delivery releases the claim so that the retry sends at once', async () => {
  delivery.failures.push(new Error('Throttling'));
  await expect(notifier.notify(event)).rejects.toThrow('Throttling');
  expect(repository.records.has(id)).toBe(false);

  await expect(notifier.notify(event)).resolves.toMatchObject({ outcome: 'SENT' });
  expect(delivery.sent).toHaveLength(1);
});

test('when the release fails too, the delivery error is the one reported', async () => {
  delivery.failures.push(new Error('MessageRejected'));
  jest.spyOn(repository, 'release').mockRejectedValueOnce(new Error('DynamoDB down'));
  await expect(notifier.notify(event)).rejects.toThrow('MessageRejected');
  expect(repository.records.get(id)).toMatchObject({ status: 'SENDING' }); // goes stale, then taken over
});

test('a send whose claim was taken over meanwhile is reported as CLAIM_LOST', async () => {
  jest.spyOn(repository, 'markSent').mockResolvedValueOnce(false);
  await expect(notifier.notify(event)).resolves.toEqual({ outcome: 'CLAIM_LOST', notificationId: id });
  expect(delivery.sent).toHaveLength(1);
});

test('a store failure while claiming propagates and sends nothing', async () => {
  jest.spyOn(repository, 'claim').mockRejectedValueOnce(new Error('ProvisionedThroughputExceededException'));
  await expect(notifier.notify(event)).rejects.toThrow('ProvisionedThroughputExceededException');
  expect(delivery.sent).toHaveLength(0);
});

test('however copies are duplicated, batched, interleaved and failed, each event is delivered exactly once', async () => {
  const eventFor = (n: number) => [orderConfirmed, (o: string) => orderFailed('PAYMENT_DECLINED', o), paymentRefunded][n % 3]!(`ord-${n}`);
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 1, max: 10 }),
      fc.array(fc.boolean(), { maxLength: 40 }),
      async (copies, batchSize, deliveryFails) => {
        clock = new Date('2025-03-01T10:00:00.000Z');
        repository = new InMemoryNotificationRepository();
        delivery = new FakeDelivery();
        notifier = new Notifier({ repository, delivery, claimTimeoutMs: CLAIM_TIMEOUT_MS, now: () => clock });
        const failures = [...deliveryFails];

        let queue = copies.map(eventFor);
        while (queue.length > 0) {
          const batch = queue.slice(0, batchSize);
          queue = queue.slice(batchSize);
          if (failures.shift()) delivery.failures.push(new Error('transient'));
          const results = await Promise.allSettled(batch.map((e) => notifier.notify(e)));
          // Failed copies come back later, like SQS messages after their visibility timeout.
          queue.push(...batch.filter((_e, i) => results[i]!.status === 'rejected'));
          clock = new Date(clock.getTime() + 1000);
        }

        const distinct = new Set(copies.map((n) => eventFor(n).eventId));
        expect(delivery.sent.map((s) => s.notificationId).sort()).toEqual([...distinct].sort());
        expect([...repository.records.values()].every((r) => r.status === 'SENT')).toBe(true);
      },
    ),
  );
});
