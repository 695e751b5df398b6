// Imported before a handler module: handlers read their configuration once, at init.
process.env.NOTIFICATIONS_TABLE = 'notification-test-notifications';
// As in AWS: API Gateway's JWT authorizer verified the token and hands its claims to the function.
process.env.AUTH_MODE = 'api-gateway';
