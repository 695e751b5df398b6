// Imported first by the handler tests: the handlers read their configuration at module load.
process.env.STAGE = 'test';
process.env.PAYMENTS_TABLE_NAME = 'payment-test-payments';
process.env.PAYMENT_PROVIDER_API_KEY_PARAM = '/order-platform/test/payment/provider-api-key';
process.env.PAYMENT_EVENTS_TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:payment-test-events';
// As in AWS: API Gateway's JWT authorizer verified the token and hands its claims to the function.
process.env.AUTH_MODE = 'api-gateway';
