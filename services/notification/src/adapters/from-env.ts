import { SESv2Client } from '@aws-sdk/client-sesv2';
import { optionalEnv, requireEnv } from '@order-platform/shared';
import { DELIVERY_CHANNELS, type DeliveryChannel } from '../domain/notification';
import type { NotificationDelivery } from '../domain/ports';
import { RecordDelivery } from './record-delivery';
import { SesDelivery } from './ses-delivery';

function deliveryChannel(): DeliveryChannel {
  const channel = optionalEnv('DELIVERY_CHANNEL', 'ses');
  if (!(DELIVERY_CHANNELS as readonly string[]).includes(channel)) {
    throw new Error(`DELIVERY_CHANNEL must be one of ${DELIVERY_CHANNELS.join(', ')}, got "${channel}"`);
  }
  return channel as DeliveryChannel;
}

/** The channel DELIVERY_CHANNEL names: SES e-mail from SES_FROM_ADDRESS (default), or the stored record (local stage). */
export function deliveryFromEnv(): NotificationDelivery {
  if (deliveryChannel() === 'record') return new RecordDelivery();
  return new SesDelivery(new SESv2Client({}), requireEnv('SES_FROM_ADDRESS'));
}
