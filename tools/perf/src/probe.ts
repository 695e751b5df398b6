import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { FunctionConfig } from './serverless-config';

export const PROBE = path.join(__dirname, 'init-probe.cjs');

export interface ProbeSample {
  /** require() of the bundle inside the fresh process (module initialisation). */
  initMs: number;
  /** CPU time (user + system, all threads) the process spent over the same span: less sensitive to a busy machine. */
  initCpuMs: number;
  /** Spawn to exit, seen from the parent: Node's own start-up + init + exit. */
  wallMs: number;
  rssMiB: number;
  heapUsedMiB: number;
}

/**
 * The environment a function's module sees on Lambda: its serverless.yml environment (with
 * NODE_OPTIONS, so --enable-source-maps costs what it costs there), the runtime's reserved
 * variables and credentials in the environment, as the Lambda runtime provides them.
 */
export function lambdaEnvironment(fn: Pick<FunctionConfig, 'deployedName' | 'memorySize' | 'environment' | 'exportName'>, region = 'eu-west-1'): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: fn.deployedName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.deployedName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: '2026/01/01/[$LATEST]bench',
    AWS_ACCESS_KEY_ID: 'ASIABENCHBENCHBENCH0',
    AWS_SECRET_ACCESS_KEY: 'bench-secret',
    AWS_SESSION_TOKEN: 'bench-session-token',
    AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    _AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1',
    _AWS_XRAY_DAEMON_PORT: '2000',
    _HANDLER: `index.${fn.exportName}`,
    ...fn.environment,
  };
}

/** One fresh `node` process loading `file`; throws with the child's stderr if it fails. */
export function probe(node: string, file: string, exportName: string, env: NodeJS.ProcessEnv): ProbeSample {
  const started = process.hrtime.bigint();
  const child = spawnSync(node, [PROBE, file, exportName], { env, encoding: 'utf8', timeout: 60_000 });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) {
    throw new Error(`loading ${file} failed (exit ${child.status ?? child.signal}): ${(child.stderr || child.error?.message || '').slice(0, 2000)}`);
  }
  const reported = JSON.parse(child.stdout) as Omit<ProbeSample, 'wallMs'>;
  return { ...reported, wallMs };
}
