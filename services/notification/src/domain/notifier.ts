import { decideOnExistingClaim } from './claim';
import type { NotifiableEvent } from './notifiable-event';
import type { NotificationRecord } from './notification';
import type { NotificationDelivery, NotificationRepository } from './ports';
import { renderNotification } from './render';

/** Another consumer holds a fresh claim on this event: fail the record so it is retried later. */
export class ClaimInProgress extends Error {
  override readonly name = 'ClaimInProgress';
}

/**
 * SENT: delivered by this call. TAKEN_OVER: delivered by this call after a crashed consumer's
 * claim. DUPLICATE: already delivered, nothing sent. CLAIM_LOST: delivered, but the claim was
 * taken over meanwhile (the consumer outlived the claim timeout), so the customer may get it twice.
 */
export type NotifyOutcome = 'SENT' | 'TAKEN_OVER' | 'DUPLICATE' | 'CLAIM_LOST';

export interface NotifyResult {
  outcome: NotifyOutcome;
  notificationId: string;
}

export interface NotifierOptions {
  repository: NotificationRepository;
  delivery: NotificationDelivery;
  /** Age after which a SENDING claim counts as abandoned: the queue's visibility timeout. */
  claimTimeoutMs: number;
  now?: () => Date;
}

/**
 * Exactly one notification per event, in three conditional steps: claim the event's record
 * (SENDING), deliver, mark it SENT. A copy of the event finds the record and stops.
 *
 * The remaining at-least-once window: SES has no idempotency key, so if a consumer dies after SES
 * accepted the message and before the record says SENT (crash, timeout, DynamoDB failing
 * through all SDK retries), the claim goes stale and the next copy of the message sends again.
 * A failed delivery releases the claim so that the retry need not wait for it to go stale.
 */
export class Notifier {
  private readonly now: () => Date;

  constructor(private readonly options: NotifierOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async notify(event: NotifiableEvent): Promise<NotifyResult> {
    const { repository, delivery, claimTimeoutMs } = this.options;
    const notificationId = event.eventId;
    const key = { orderId: event.data.orderId, notificationId };
    const message = renderNotification(event);
    const claimedAt = this.now().toISOString();
    const record: NotificationRecord = {
      notificationId,
      orderId: event.data.orderId,
      eventType: event.eventType,
      channel: delivery.channel,
      ...message,
      status: 'SENDING',
      createdAt: claimedAt,
      claimedAt,
      attempts: 1,
    };

    let takenOver = false;
    const claim = await repository.claim(record);
    if (!claim.claimed) {
      const decision = decideOnExistingClaim(claim.existing, this.now(), claimTimeoutMs);
      if (decision === 'DUPLICATE') return { outcome: 'DUPLICATE', notificationId };
      if (decision === 'IN_PROGRESS') {
        throw new ClaimInProgress(`Notification ${notificationId} was claimed at ${claim.existing.claimedAt} and is being sent`);
      }
      if (!(await repository.takeOver(key, claim.existing.claimedAt, claimedAt, delivery.channel))) {
        throw new ClaimInProgress(`Notification ${notificationId} was taken over by another consumer first`);
      }
      takenOver = true;
    }

    let receipt;
    try {
      receipt = await delivery.deliver(message, notificationId);
    } catch (error) {
      try {
        await repository.release(key, claimedAt);
      } catch {
        // The delivery error is the one to report; an unreleased claim goes stale and is taken over.
      }
      throw error;
    }

    const marked = await repository.markSent(key, claimedAt, {
      sentAt: this.now().toISOString(),
      message,
      providerMessageId: receipt.providerMessageId,
    });
    if (!marked) return { outcome: 'CLAIM_LOST', notificationId };
    return { outcome: takenOver ? 'TAKEN_OVER' : 'SENT', notificationId };
  }
}
