import { existsSync } from 'node:fs';
import path from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { ADMIN_SCOPE } from '../../../shared/src/auth/principal';
import type { ApiEndpoints, Credentials } from '../client/platform-client';
import { devIssuerToken } from '../../inspector/src/adapters/order-api-auth';
import type { SfnConnection } from '../../inspector/src/adapters/step-functions';
import { clientConfig, TargetError, type Target } from '../target';
import { clientCredentialsToken, discoverApis, discoverMachineClient, tokenCredentials } from './aws';

/** Everything the smoke test needs to call a stage: its APIs, a principal and the Step Functions API. */
export interface Connection {
  apis: ApiEndpoints;
  /** The customer the token speaks for (its `sub`): the smoke test's orders belong to it. */
  customerId: string;
  credentials: Credentials;
  sfn: SfnConnection;
  /** How the token was obtained, for the first line of the output. */
  identity: string;
}

export interface AwsClients {
  cloudFormation: CloudFormationClient;
  cognito: CognitoIdentityProviderClient;
  fetch?: typeof fetch;
}

/**
 * The local stack: APIs from its endpoints file, a token of the development issuer (its keys
 * beside the endpoints file) for a customer of this run, with the admin scope. An AWS stage: APIs
 * from the stacks' outputs, a token of the stage's user pool by client credentials.
 */
export async function connect(target: Target, runId: string, aws: () => AwsClients = () => defaultAwsClients(target)): Promise<Connection> {
  const sfn: SfnConnection = clientConfig(target, 'stepFunctions');
  if (target.kind === 'local-stack') {
    const apis = completeApis(target);
    const authDir = path.join(target.dataDir!, 'auth');
    if (!existsSync(authDir)) throw new TargetError(`no development issuer in ${authDir}: is the local stack of this checkout running?`);
    const customerId = `smoke-${runId}`;
    const headers = devIssuerToken(authDir, customerId);
    return { apis, customerId, credentials: { customer: headers, admin: headers }, sfn, identity: `development issuer, customer ${customerId} (admin scope)` };
  }
  const clients = aws();
  const apis = await discoverApis(clients.cloudFormation, target.stage);
  const machine = await discoverMachineClient(clients.cloudFormation, clients.cognito, target.stage);
  // The smoke test writes the catalogue and reads every order: it asks for the operators' scope.
  const mint = () => clientCredentialsToken(machine, { scope: ADMIN_SCOPE, ...(clients.fetch ? { fetch: clients.fetch } : {}) });
  const first = await mint();
  return {
    apis,
    customerId: first.subject,
    credentials: tokenCredentials(mint, first),
    sfn,
    identity: `user pool machine client ${machine.clientId} (client credentials), customer ${first.subject}`,
  };
}

function completeApis(target: Target): ApiEndpoints {
  const { orderApi, inventoryApi, paymentApi, notificationApi } = target.apis ?? {};
  if (!orderApi || !inventoryApi || !paymentApi || !notificationApi) throw new TargetError(`${target.source} does not list the four HTTP APIs`);
  return { orderApi, inventoryApi, paymentApi, notificationApi };
}

export function defaultAwsClients(target: Target): AwsClients {
  return { cloudFormation: new CloudFormationClient({ region: target.region }), cognito: new CognitoIdentityProviderClient({ region: target.region }) };
}
