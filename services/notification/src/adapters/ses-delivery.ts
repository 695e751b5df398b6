import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { DeliveryReceipt, NotificationDelivery } from '../domain/ports';
import type { RenderedMessage } from '../domain/render';

/** E-mail through Amazon SES (v2 API) from one verified sender address. */
export class SesDelivery implements NotificationDelivery {
  readonly channel = 'ses' as const;

  constructor(
    private readonly ses: SESv2Client,
    private readonly fromAddress: string,
  ) {}

  async deliver(message: RenderedMessage): Promise<DeliveryReceipt> {
    const output = await this.ses.send(
      new SendEmailCommand({
        FromEmailAddress: this.fromAddress,
        Destination: { ToAddresses: [message.to] },
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: message.text, Charset: 'UTF-8' } },
          },
        },
      }),
    );
    return { providerMessageId: output.MessageId };
  }
}
