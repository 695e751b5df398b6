import { ComponentStartError } from '../errors';
import { assertPortFree } from '../process/ports';
import {
  FAUXQS_ACCOUNT,
  snsResponseToOuterAccount,
  sqsResponseToOuterAccount,
  toInnerAccount,
  type AccountPair,
} from './fauxqs-account';

export interface FauxqsOptions {
  port: number;
  host: string;
  region: string;
  /** The account clients see in ARNs and queue URLs. */
  accountId: string;
}

export interface RunningFauxqs {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * fauxqs (SNS + SQS) in this process. Its `startFauxqs()` binds 0.0.0.0, so the app is built
 * with `buildApp()` and listens on the loopback address only. State is in memory: topics,
 * queues and subscriptions are provisioned again from the templates at every start.
 */
export async function startFauxqs(options: FauxqsOptions): Promise<RunningFauxqs> {
  if (options.port !== 0) await assertPortFree(options.port, options.host, 'fauxqs (SNS/SQS)', 'fauxqs');
  // fauxqs is ESM-only (its package exports an "import" condition alone): load it dynamically.
  const { buildApp } = await import('fauxqs');
  const app = buildApp({ logger: false, defaultRegion: options.region });
  translateAccount(app as unknown as HookableApp, { outer: options.accountId, inner: FAUXQS_ACCOUNT });
  let address: string;
  try {
    address = await app.listen({ port: options.port, host: options.host });
  } catch (error) {
    await app.close().catch(() => undefined);
    throw new ComponentStartError('fauxqs', (error as Error).message);
  }
  const port = Number(new URL(address).port);
  return {
    endpoint: `http://${options.host}:${port}`,
    port,
    stop: async () => {
      await app.close();
    },
  };
}

/** The two Fastify hooks used here, typed structurally (fastify is fauxqs's dependency, not ours). */
interface HookableApp {
  addHook(name: 'preHandler', hook: (request: { body: unknown }) => Promise<void>): unknown;
  addHook(name: 'onSend', hook: (request: unknown, reply: { getHeader(name: string): unknown }, payload: unknown) => Promise<unknown>): unknown;
}

function translateAccount(app: HookableApp, accounts: AccountPair): void {
  if (accounts.outer === accounts.inner) return;
  app.addHook('preHandler', async (request) => {
    if (request.body && typeof request.body === 'object') request.body = toInnerAccount(request.body, accounts);
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (typeof payload !== 'string') return payload;
    const contentType = String(reply.getHeader('content-type') ?? '');
    if (contentType.includes('x-amz-json')) return sqsResponseToOuterAccount(payload, accounts);
    if (contentType.includes('xml')) return snsResponseToOuterAccount(payload, accounts);
    return payload;
  });
}
