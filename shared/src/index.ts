// Plain TypeScript that any layer may import (domain included): no AWS SDK, no middy, no Powertools.
// Lambda plumbing (handler factories, observability, SNS publishing) is in '@order-platform/shared/lambda'.
export * from './config';
export * from './errors';
export * from './images';
export * from './http/problem';
export * from './http/unavailable';
export * from './http/validation';
export * from './contracts/events';
export * from './contracts/saga';
export * from './contracts/catalogue';
export * from './contracts/schema';
