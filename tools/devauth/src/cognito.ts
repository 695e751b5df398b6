import { CognitoIdentityProviderClient, DescribeUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { ADMIN_SCOPE } from '../../../shared/src/auth/principal';
// One client-credentials grant for the project: the smoke test's (tools may import ops).
import { clientCredentialsToken } from '../../../ops/src/smoke/aws';

/**
 * A token from an AWS stage's user pool (the platform stack, services/platform/resources/identity.yml):
 * the operators' client-credentials client, whose id and token endpoint the platform wrote to SSM
 * under /order-platform/<stage>/auth/ and whose secret stays in Cognito. Read with the caller's
 * AWS credentials (ssm:GetParameters, cognito-idp:DescribeUserPoolClient); the token is an
 * operator's: `sub` and `client_id` are the client id, `scope` is order-platform/admin.
 */

export interface StageAuth {
  userPoolId: string;
  operatorClientId: string;
  tokenUrl: string;
  issuer: string;
}

export interface CognitoTokenOptions {
  stage: string;
  region?: string;
  ssm?: SSMClient;
  cognito?: CognitoIdentityProviderClient;
  fetch?: typeof fetch;
}

export function authParameterPath(stage: string): string {
  return `/order-platform/${stage}/auth`;
}

const NAMES = { userPoolId: 'user-pool-id', operatorClientId: 'operator-client-id', tokenUrl: 'token-url', issuer: 'issuer' } as const;

/** The stage's identity provider as the platform stack published it; fails naming what is missing. */
export async function stageAuth(stage: string, ssm: SSMClient): Promise<StageAuth> {
  const prefix = authParameterPath(stage);
  const names = Object.values(NAMES).map((name) => `${prefix}/${name}`);
  const { Parameters = [], InvalidParameters = [] } = await ssm.send(new GetParametersCommand({ Names: names }));
  if (InvalidParameters.length > 0) {
    throw new Error(`The stage "${stage}" has no identity provider yet (missing ${InvalidParameters.join(', ')}): deploy the platform stack first (npx osls-compose deploy --stage ${stage})`);
  }
  const value = (name: string) => Parameters.find((p) => p.Name === `${prefix}/${name}`)?.Value ?? '';
  return {
    userPoolId: value(NAMES.userPoolId),
    operatorClientId: value(NAMES.operatorClientId),
    tokenUrl: value(NAMES.tokenUrl),
    issuer: value(NAMES.issuer),
  };
}

/** An operator's access token from the stage's user pool (OAuth 2.0 client credentials). */
export async function cognitoToken(options: CognitoTokenOptions): Promise<string> {
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'eu-west-1';
  const ssm = options.ssm ?? new SSMClient({ region });
  const cognito = options.cognito ?? new CognitoIdentityProviderClient({ region });
  const auth = await stageAuth(options.stage, ssm);
  const { UserPoolClient } = await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: auth.userPoolId, ClientId: auth.operatorClientId }));
  const secret = UserPoolClient?.ClientSecret;
  if (!secret) throw new Error(`The operators' client ${auth.operatorClientId} of ${auth.userPoolId} has no secret: it cannot use client credentials`);
  const token = await clientCredentialsToken({ tokenEndpoint: auth.tokenUrl, clientId: auth.operatorClientId, clientSecret: secret }, { scope: ADMIN_SCOPE, fetch: options.fetch });
  return token.accessToken;
}
