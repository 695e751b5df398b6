import { createObservability, snsEventPublisherFromEnv, streamPublisher } from '@order-platform/shared/lambda';
import { toEvents } from '../domain/events';

const observability = createObservability();
const publisher = snsEventPublisherFromEnv('PAYMENT_EVENTS_TOPIC_ARN');

/** Payments table stream -> PaymentCaptured / PaymentRefunded on the payment events topic. */
export const handler = streamPublisher(observability, { toEvents, publish: (event) => publisher.publish(event) });
