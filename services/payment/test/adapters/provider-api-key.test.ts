import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { LOCAL_PROVIDER_API_KEY, providerApiKey } from '../../src/adapters/provider-api-key';

const ssmMock = mockClient(SSMClient);
const ssm = new SSMClient({});
const parameterName = '/order-platform/dev/payment/provider-api-key';

beforeEach(() => ssmMock.reset());

test('the local stage uses the sandbox key and never builds an SSM client', async () => {
  const build = jest.fn(() => ssm);
  await expect(providerApiKey({ stage: 'local', parameterName, ssm: build })()).resolves.toBe(LOCAL_PROVIDER_API_KEY);
  expect(build).not.toHaveBeenCalled();
});

test('other stages read the SecureString once and cache it for five minutes', async () => {
  ssmMock.on(GetParameterCommand).resolvesOnce({ Parameter: { Value: 'sk_live_1' } }).resolves({ Parameter: { Value: 'sk_live_2' } });
  let now = 0;
  const apiKey = providerApiKey({ stage: 'dev', parameterName, ssm: () => ssm, now: () => now });

  await expect(apiKey()).resolves.toBe('sk_live_1');
  now = 4 * 60 * 1000;
  await expect(apiKey()).resolves.toBe('sk_live_1');
  expect(ssmMock).toHaveReceivedCommandTimes(GetParameterCommand, 1);
  expect(ssmMock).toHaveReceivedCommandWith(GetParameterCommand, { Name: parameterName, WithDecryption: true });

  now = 6 * 60 * 1000;
  await expect(apiKey()).resolves.toBe('sk_live_2');
});

test('a parameter without a value is a configuration error; a failed read is retried next time', async () => {
  ssmMock.on(GetParameterCommand).resolvesOnce({ Parameter: {} }).rejectsOnce(new Error('throttled')).resolves({ Parameter: { Value: 'sk' } });
  const apiKey = providerApiKey({ stage: 'prod', parameterName, ssm: () => ssm });

  await expect(apiKey()).rejects.toThrow(/has no value/);
  await expect(apiKey()).rejects.toThrow('throttled');
  await expect(apiKey()).resolves.toBe('sk');
});
