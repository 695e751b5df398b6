import { methodNotAllowed } from '@order-platform/shared/lambda/method-not-allowed';

/** ANY /notifications: every method but GET gets 405 with Allow. */
export const handler = methodNotAllowed({ '/notifications': ['GET'] });
