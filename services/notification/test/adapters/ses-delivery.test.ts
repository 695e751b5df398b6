import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { SesDelivery } from '../../src/adapters/ses-delivery';

const ses = mockClient(SESv2Client);
const delivery = new SesDelivery(new SESv2Client({}), 'notifications@example.com');
const message = { to: 'ada@example.com', subject: 'Your order ord-1 is confirmed', text: 'Good news' };

beforeEach(() => ses.reset());

test('sends a plain-text UTF-8 e-mail from the configured address and returns the SES message id', async () => {
  ses.on(SendEmailCommand).resolves({ MessageId: 'ses-123' });
  await expect(delivery.deliver(message)).resolves.toEqual({ providerMessageId: 'ses-123' });
  expect(ses).toHaveReceivedCommandWith(SendEmailCommand, {
    FromEmailAddress: 'notifications@example.com',
    Destination: { ToAddresses: ['ada@example.com'] },
    Content: {
      Simple: {
        Subject: { Data: message.subject, Charset: 'UTF-8' },
        Body: { Text: { Data: message.text, Charset: 'UTF-8' } },
      },
    },
  });
  expect(delivery.channel).toBe('ses');
});

test('SES errors propagate so that the message is retried', async () => {
  ses.on(SendEmailCommand).rejects(Object.assign(new Error('Maximum sending rate exceeded'), { name: 'TooManyRequestsException' }));
  await expect(delivery.deliver(message)).rejects.toThrow('Maximum sending rate exceeded');
});
