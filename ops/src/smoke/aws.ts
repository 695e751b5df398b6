import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CognitoIdentityProviderClient, DescribeUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import type { ApiEndpoints, Credentials } from '../client/platform-client';

/**
 * What an AWS stage tells a caller about itself, from its CloudFormation stacks (osls names a
 * service's stack `<service>-<stage>`): each service's HTTP API URL (`HttpApiUrl`, an output the
 * framework adds for every `httpApi`), and the platform stack's Cognito machine client, whose
 * client credentials give the smoke test an operator's token.
 */

export class DiscoveryError extends Error {
  override readonly name = 'DiscoveryError';
}

/** Which service's stack holds which API. */
const API_STACKS: Record<keyof ApiEndpoints, string> = {
  orderApi: 'order',
  inventoryApi: 'inventory',
  paymentApi: 'payment',
  notificationApi: 'notification',
};

/** The output osls gives every stack with an HTTP API. */
export const HTTP_API_URL_OUTPUT = 'HttpApiUrl';

/**
 * The platform stack's outputs for the machine client (services/platform), each under the first
 * name present: the token endpoint (`AuthTokenUrl` or `TokenEndpoint`, else `UserPoolDomainUrl` +
 * `/oauth2/token`), the client id (`OperatorClientId` or `MachineClientId`) and the pool
 * (`UserPoolId`). The secret is not an output (anyone who may describe the stack reads outputs):
 * it is read with DescribeUserPoolClient.
 */
export const PLATFORM_OUTPUTS = {
  tokenEndpoint: ['AuthTokenUrl', 'TokenEndpoint'],
  userPoolDomainUrl: 'UserPoolDomainUrl',
  userPoolId: 'UserPoolId',
  machineClientId: ['OperatorClientId', 'MachineClientId'],
} as const;

export const stackName = (service: string, stage: string) => `${service}-${stage}`;

/** A stack's outputs by key; a missing stack is a DiscoveryError saying so. */
export async function stackOutputs(cloudFormation: CloudFormationClient, name: string): Promise<Record<string, string>> {
  let stack;
  try {
    stack = (await cloudFormation.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0];
  } catch (error) {
    if ((error as Error).name === 'ValidationError' && /does not exist/.test((error as Error).message)) {
      throw new DiscoveryError(`stack ${name} does not exist in this account and region: deploy the stage first (npx osls-compose deploy --stage <stage>)`);
    }
    throw error;
  }
  if (!stack) throw new DiscoveryError(`stack ${name}: DescribeStacks returned nothing`);
  const status = stack.StackStatus ?? 'UNKNOWN';
  if (!/_COMPLETE$/.test(status) || /^(DELETE|ROLLBACK)_COMPLETE$/.test(status)) {
    throw new DiscoveryError(`stack ${name} is ${status}: no working deployment to test`);
  }
  return Object.fromEntries((stack.Outputs ?? []).filter((o) => o.OutputKey && o.OutputValue).map((o) => [o.OutputKey!, o.OutputValue!]));
}

/** The four HTTP APIs of a stage, from their stacks' `HttpApiUrl` outputs. */
export async function discoverApis(cloudFormation: CloudFormationClient, stage: string): Promise<ApiEndpoints> {
  const entries = await Promise.all(
    (Object.entries(API_STACKS) as Array<[keyof ApiEndpoints, string]>).map(async ([api, service]) => {
      const name = stackName(service, stage);
      const url = (await stackOutputs(cloudFormation, name))[HTTP_API_URL_OUTPUT];
      if (!url) throw new DiscoveryError(`stack ${name} has no ${HTTP_API_URL_OUTPUT} output: is its HTTP API deployed?`);
      return [api, url.replace(/\/+$/, '')] as const;
    }),
  );
  return Object.fromEntries(entries) as unknown as ApiEndpoints;
}

/** An OAuth 2.0 confidential client of the stage's user pool. */
export interface MachineClient {
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
}

/** The machine client of `platform-<stage>`: its id and token endpoint from the outputs, its secret from Cognito. */
export async function discoverMachineClient(
  cloudFormation: CloudFormationClient,
  cognito: CognitoIdentityProviderClient,
  stage: string,
): Promise<MachineClient> {
  const name = stackName('platform', stage);
  const outputs = await stackOutputs(cloudFormation, name);
  const first = (names: readonly string[]) => names.map((name) => outputs[name]).find((value) => value !== undefined);
  const domain = outputs[PLATFORM_OUTPUTS.userPoolDomainUrl];
  const tokenEndpoint = first(PLATFORM_OUTPUTS.tokenEndpoint) ?? (domain ? `${withScheme(domain).replace(/\/+$/, '')}/oauth2/token` : undefined);
  const clientId = first(PLATFORM_OUTPUTS.machineClientId);
  const userPoolId = outputs[PLATFORM_OUTPUTS.userPoolId];
  const missing = [
    ...(tokenEndpoint ? [] : [`${PLATFORM_OUTPUTS.tokenEndpoint.join(' or ')} (or ${PLATFORM_OUTPUTS.userPoolDomainUrl})`]),
    ...(clientId ? [] : [PLATFORM_OUTPUTS.machineClientId.join(' or ')]),
    ...(userPoolId ? [] : [PLATFORM_OUTPUTS.userPoolId]),
  ];
  if (missing.length > 0) {
    throw new DiscoveryError(`stack ${name} lacks the output(s) ${missing.join(', ')} (it has: ${Object.keys(outputs).join(', ') || 'none'}): is the user pool deployed?`);
  }
  const described = await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }));
  const clientSecret = described.UserPoolClient?.ClientSecret;
  if (!clientSecret) throw new DiscoveryError(`the machine client ${clientId} of ${userPoolId} has no secret: client credentials need a confidential client (GenerateSecret: true)`);
  return { tokenEndpoint: tokenEndpoint!, clientId: clientId!, clientSecret };
}

const withScheme = (url: string) => (/^https?:\/\//.test(url) ? url : `https://${url}`);

export interface AccessToken {
  accessToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** The token's `sub`: the customer the platform takes the caller for (a machine client's own id). */
  subject: string;
}

/**
 * OAuth 2.0 client credentials grant (RFC 6749 section 4.4) with HTTP Basic client authentication,
 * as Cognito's token endpoint takes it. Without `scope`, Cognito grants every scope the client
 * is allowed.
 */
export async function clientCredentialsToken(
  client: MachineClient,
  options: { scope?: string; fetch?: typeof fetch; now?: () => number } = {},
): Promise<AccessToken> {
  const post = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const basic = Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64');
  const body = new URLSearchParams({ grant_type: 'client_credentials', ...(options.scope ? { scope: options.scope } : {}) });
  const response = await post(client.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
    body: body.toString(),
  });
  const text = await response.text();
  if (!response.ok) throw new DiscoveryError(`the token endpoint ${client.tokenEndpoint} answered ${response.status}: ${text.slice(0, 300)}`);
  const answer = JSON.parse(text) as { access_token?: string; expires_in?: number; token_type?: string };
  if (!answer.access_token) throw new DiscoveryError(`the token endpoint ${client.tokenEndpoint} answered without an access_token`);
  const subject = decodeJwt(answer.access_token).sub;
  if (!subject) throw new DiscoveryError('the access token has no sub claim');
  return { accessToken: answer.access_token, expiresAt: now() + (answer.expires_in ?? 3600) * 1000, subject };
}

/**
 * One principal for every call, as on AWS a machine client is: its token speaks for the customer
 * in its `sub` and carries the admin scope. Renewed a minute before it expires.
 */
export function tokenCredentials(mint: () => Promise<AccessToken>, first: AccessToken, now: () => number = Date.now): Credentials {
  let current: Promise<AccessToken> = Promise.resolve(first);
  const headers = async () => {
    let token = await current;
    if (token.expiresAt - 60_000 < now()) {
      current = mint();
      token = await current;
    }
    return { authorization: `Bearer ${token.accessToken}` };
  };
  return { customer: headers, admin: headers };
}
