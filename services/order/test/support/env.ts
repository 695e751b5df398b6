// Imported first by every handler test: handlers read their configuration at module load.
process.env.ORDERS_TABLE_NAME = 'order-test-orders';
process.env.SAGA_STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:order-test-saga';
process.env.ORDER_EVENTS_TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:order-test-events';
process.env.SAGA_WORKFLOW_TYPE = 'STANDARD';
process.env.CATALOGUE_LOOKUP_FUNCTION = 'inventory-test-lookupSkus';
// Every test asks the catalogue (the cache has its own tests in domain/catalogue.test.ts).
process.env.KNOWN_SKU_CACHE_SECONDS = '0';
// As in AWS: API Gateway's JWT authorizer verified the token and hands its claims to the function.
process.env.AUTH_MODE = 'api-gateway';

export const TABLE = process.env.ORDERS_TABLE_NAME;
export const STATE_MACHINE_ARN = process.env.SAGA_STATE_MACHINE_ARN;
export const CATALOGUE_LOOKUP_FUNCTION = process.env.CATALOGUE_LOOKUP_FUNCTION;
export const TOPIC_ARN = process.env.ORDER_EVENTS_TOPIC_ARN;
