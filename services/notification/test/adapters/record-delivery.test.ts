import { RecordDelivery } from '../../src/adapters/record-delivery';

test('the record channel sends nothing anywhere: the stored record is the delivery', async () => {
  const delivery = new RecordDelivery();
  expect(delivery.channel).toBe('record');
  await expect(delivery.deliver()).resolves.toEqual({});
});
