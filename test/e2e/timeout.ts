// End-to-end steps wait for sagas, stream deliveries and SQS redelivery: minutes, not seconds.
jest.setTimeout(180_000);
