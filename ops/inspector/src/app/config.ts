import path from 'node:path';
import { DEFAULT_COMPENSATION_PATTERNS, parsePatterns } from '../core/compensation';
import type { SfnConnection } from '../adapters/step-functions';
import { DEFAULT_ENDPOINTS_FILE, type LocalEndpoints, readEndpointsFile } from '../adapters/endpoints-file';

/**
 * Where the inspector looks, decided once from flags, environment and `.local/endpoints.json`
 * (in that order). With `--aws` the local file is ignored and the SDK's defaults apply: region
 * and credentials from the usual chain, the real Step Functions endpoint.
 */
export interface InspectorOptions {
  endpoint?: string;
  region?: string;
  /** State machine name or ARN; default `order-<stage>-saga`. */
  stateMachine?: string;
  stage?: string;
  orderApi?: string;
  /** A bearer token for the order API (a deployed API needs an operator's token). */
  orderApiToken?: string;
  /**
   * The local development issuer's folder (`.local/auth`): the order API of the local stack is
   * called with an operator token minted from it. Set by default when the order API comes from
   * `.local/endpoints.json` (its `auth/` sibling).
   */
  devIssuerDir?: string;
  /** Ignore `.local/endpoints.json`: talk to AWS. */
  aws?: boolean;
  endpointsFile?: string;
  /** Comma-separated globs naming compensation states. */
  compensation?: string;
  /** The local stack's DynamoDB and inventory API (what a replay seeds); default from `.local/endpoints.json`. */
  localStack?: { dynamodb: string; inventoryApi: string };
}

export interface InspectorConfig {
  sfn: SfnConnection;
  stateMachine: string;
  orderApiUrl?: string;
  /** How the order API is called: with a given token, or with one minted by the local dev issuer. */
  orderApiAuth?: { token: string } | { devIssuerDir: string };
  compensationPatterns: string[];
  /** Where the endpoint came from, shown by the CLI and the page so nobody mistakes prod for local. */
  target: 'local-stack' | 'endpoint' | 'aws';
  stage: string;
  /** The local stack's table endpoint and inventory API, from its endpoints file: what a replay seeds. */
  localStack?: { dynamodb: string; inventoryApi: string; devIssuerDir: string };
}

type Env = Record<string, string | undefined>;

export function resolveConfig(
  options: InspectorOptions,
  env: Env = process.env,
  readEndpoints: (file: string) => LocalEndpoints | undefined = readEndpointsFile,
): InspectorConfig {
  // The local file only fills what flags and environment leave open, and is read at most once.
  const endpointsFile = options.endpointsFile ?? env['SAGA_ENDPOINTS_FILE'] ?? DEFAULT_ENDPOINTS_FILE;
  let file: LocalEndpoints | undefined | null = null;
  const local = (): LocalEndpoints | undefined => {
    if (options.aws) return undefined;
    if (file === null) file = readEndpoints(endpointsFile);
    return file;
  };
  const explicit = options.endpoint ?? env['SFN_ENDPOINT'];
  const endpoint = explicit ?? local()?.stepFunctions;
  const fromFile = endpoint !== undefined && explicit === undefined;
  const region =
    options.region ?? (fromFile ? local()?.region : undefined) ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? (endpoint ? local()?.region : undefined) ?? 'eu-west-1';
  const fileStage = () => (typeof local()?.stage === 'string' ? (local()!.stage as string) : undefined);
  const stage = options.stage ?? env['SAGA_STAGE'] ?? fileStage() ?? 'local';
  const sfn: SfnConnection = { region, ...(endpoint && { endpoint }) };
  // An emulator accepts any key; do not make people export fake ones.
  if (endpoint && !hasCredentials(env)) sfn.credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const explicitOrderApi = options.orderApi ?? env['ORDER_API_URL'];
  const orderApiUrl = explicitOrderApi ?? local()?.orderApi;
  const token = options.orderApiToken ?? env['ORDER_API_TOKEN'];
  const devIssuerDir = options.devIssuerDir ?? (orderApiUrl && explicitOrderApi === undefined ? path.join(path.dirname(endpointsFile), 'auth') : undefined);
  const orderApiAuth = !orderApiUrl ? undefined : token ? { token } : devIssuerDir ? { devIssuerDir } : undefined;
  const stackFile = fromFile ? local() : undefined;
  const localStack = options.localStack
    ? { ...options.localStack, devIssuerDir: devIssuerDir ?? path.join(path.dirname(endpointsFile), 'auth') }
    : typeof stackFile?.['dynamodb'] === 'string' && typeof stackFile['inventoryApi'] === 'string'
      ? { dynamodb: stackFile['dynamodb'], inventoryApi: stackFile['inventoryApi'], devIssuerDir: path.join(path.dirname(endpointsFile), 'auth') }
      : undefined;
  return {
    sfn,
    stage,
    ...(localStack && { localStack }),
    stateMachine: options.stateMachine ?? env['SAGA_STATE_MACHINE'] ?? `order-${stage}-saga`,
    ...(orderApiUrl && { orderApiUrl }),
    ...(orderApiAuth && { orderApiAuth }),
    compensationPatterns: parsePatterns(options.compensation ?? env['SAGA_COMPENSATION_STATES']) ?? [...DEFAULT_COMPENSATION_PATTERNS],
    target: explicit ? 'endpoint' : endpoint ? 'local-stack' : 'aws',
  };
}

const hasCredentials = (env: Env) =>
  Boolean(env['AWS_ACCESS_KEY_ID'] || env['AWS_PROFILE'] || env['AWS_WEB_IDENTITY_TOKEN_FILE'] || env['AWS_CONTAINER_CREDENTIALS_FULL_URI']);
