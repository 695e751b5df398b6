import path from 'node:path';

/** osls's CLI script, run with this Node (22: the one npm scripts put first on PATH). */
export function serverlessCli(): string {
  return path.join(path.dirname(require.resolve('serverless/package.json')), 'bin', 'serverless.js');
}

/** Environment shared by every serverless CLI run: no telemetry, no update checks, no real AWS profile. */
export function serverlessEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', ...extra };
  delete env.AWS_PROFILE;
  delete env.AWS_SESSION_TOKEN;
  return env;
}
