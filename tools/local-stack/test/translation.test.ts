import { createHash } from 'node:crypto';
import { sqsResponseToOuterAccount, toInnerAccount } from '../src/components/fauxqs-account';
import { protectSingleKeyArrays, resolveTemplate } from '../src/provision/template';

const accounts = { outer: '123456789012', inner: '000000000000' };

describe('fauxqs account translation', () => {
  it('moves ARNs and queue URLs of a request to fauxqs account, leaving message content alone', () => {
    const body = {
      TopicArn: 'arn:aws:sns:eu-west-1:123456789012:order-local-events',
      QueueUrl: 'http://127.0.0.1:3301/123456789012/q',
      Message: 'about arn:aws:sns:eu-west-1:123456789012:order-local-events',
      'MessageAttributes.entry.1.Value.StringValue': 'arn:aws:sqs:eu-west-1:123456789012:q',
    };
    expect(toInnerAccount(body, accounts)).toEqual({
      TopicArn: 'arn:aws:sns:eu-west-1:000000000000:order-local-events',
      QueueUrl: 'http://127.0.0.1:3301/000000000000/q',
      Message: body.Message,
      'MessageAttributes.entry.1.Value.StringValue': body['MessageAttributes.entry.1.Value.StringValue'],
    });
  });

  it("rewrites the SNS envelope of a received notification and its MD5, but not other bodies", () => {
    const envelope = JSON.stringify({ Type: 'Notification', TopicArn: 'arn:aws:sns:eu-west-1:000000000000:t', Message: 'hi' });
    const plain = 'arn:aws:sns:eu-west-1:000000000000:t';
    const response = JSON.stringify({ Messages: [{ MessageId: '1', Body: envelope, MD5OfBody: 'x' }, { MessageId: '2', Body: plain, MD5OfBody: 'y' }] });
    const [first, second] = JSON.parse(sqsResponseToOuterAccount(response, accounts)).Messages;
    expect(JSON.parse(first.Body).TopicArn).toBe('arn:aws:sns:eu-west-1:123456789012:t');
    expect(first.MD5OfBody).toBe(createHash('md5').update(first.Body).digest('hex'));
    expect(second).toEqual({ MessageId: '2', Body: plain, MD5OfBody: 'y' });
  });
});

describe('template resolution', () => {
  it('keeps one-key objects that hold a list (cfn-resolver-lib would collapse them to the list)', () => {
    const template = {
      Resources: {
        Sub: {
          Type: 'AWS::SNS::Subscription',
          Properties: { FilterPolicy: { eventType: ['A', 'B'] }, TopicArn: { 'Fn::Join': [':', ['a', 'b']] } },
        },
      },
    };
    const { template: resolved } = resolveTemplate(template, { region: 'eu-west-1', accountId: '123456789012', stackName: 's' });
    expect(resolved.Resources.Sub!.Properties).toEqual({ FilterPolicy: { eventType: ['A', 'B'] }, TopicArn: 'a:b' });
    expect(protectSingleKeyArrays({ Ref: ['x'] })).toEqual({ Ref: ['x'] });
  });
});
