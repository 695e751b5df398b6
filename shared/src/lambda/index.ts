// Lambda plumbing shared by every service: handler factories (HTTP, invoke/step, queue, schedule,
// stream; middy + Powertools), observability, HTTP middlewares, event publishing and the DynamoDB
// helpers of every table adapter. Handlers and adapters import from here; domain code never does.
export * from '../observability';
export * from '../http/middleware';
export * from './http-handler';
export * from './step-handler';
export * from './queue-handler';
export * from './scheduled-handler';
export * from './stream-publisher';
export * from './method-not-allowed';
export * from '../aws/event-publisher';
export * from '../aws/dynamodb';
