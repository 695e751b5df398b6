// The local development issuer: keys in .local/auth, tokens for the local stack, its demo, e2e tests and bench.
export {
  ADMIN_SCOPE,
  DEV_AUDIENCE,
  DEV_ISSUER,
  authHeader,
  defaultIssuerDir,
  ensureDevIssuer,
  generateSigningKey,
  mintToken,
  type DevIssuer,
  type MintOptions,
} from './issuer';
// An AWS stage's user pool (client credentials of the operators' client).
export { authParameterPath, cognitoToken, stageAuth, type CognitoTokenOptions, type StageAuth } from './cognito';
