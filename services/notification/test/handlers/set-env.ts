// Imported before a handler module: handlers read their configuration once, at init.
process.env.NOTIFICATIONS_TABLE = 'notification-test-notifications';
