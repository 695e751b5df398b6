// Imported first by handler tests: the handlers read these at module load, as Lambda's init does.
process.env.STOCK_TABLE_NAME = 'inventory-test-stock';
process.env.RESERVATIONS_TABLE_NAME = 'inventory-test-reservations';
process.env.RESERVATION_MAX_AGE_MINUTES = '30';
// As in AWS: API Gateway's JWT authorizer verified the token and hands its claims to the function.
process.env.AUTH_MODE = 'api-gateway';
