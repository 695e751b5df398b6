import path from 'node:path';
import type { OfflineMode, ServiceName, ServicePorts } from '../config';
import { ComponentStartError } from '../errors';
import { ManagedProcess } from '../process/managed-process';
import { isListening } from '../process/ports';
import { waitUntil } from '../process/wait';
import { serverlessCli, serverlessEnv } from './serverless-cli';

export interface AwsEndpoints {
  dynamodb: string;
  sns: string;
  sqs: string;
  stepFunctions: string;
  /** One Lambda endpoint for every service's functions (the stack's router). */
  lambda: string;
}

export interface OfflineOptions {
  service: ServiceName;
  dir: string;
  stage: string;
  region: string;
  host: string;
  ports: ServicePorts;
  mode: OfflineMode;
  endpoints: AwsEndpoints;
  /** Absolute .local/ (the services' serverless.yml finds the development issuer's keys through it). */
  dataDir: string;
  /** Whether the service has HTTP routes (serverless-offline opens its HTTP port only then). */
  hasHttp: boolean;
  logFile: string;
  echo?: (line: string) => void;
  /** Told about the child as soon as it is spawned (so that a crash of this process can be cleaned up after). */
  onSpawn?: (child: ManagedProcess) => void;
  startTimeoutMs?: number;
}

export interface RunningOffline {
  service: ServiceName;
  process: ManagedProcess;
  httpUrl: string;
  lambdaUrl: string;
  stop(): Promise<void>;
}

/**
 * The environment a service's functions see: region, dummy credentials and every AWS SDK v3
 * client pointed at the local emulators (AWS_ENDPOINT_URL_<SERVICE>, read by the SDK itself).
 * One definition with the services' local-offline plugin, which gives the same to a service
 * run alone beside the stack.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { stackEnvironment } = require('../../../../shared/serverless/plugins/local-offline.js') as {
  stackEnvironment(endpoints: { region: string; dynamodb: string; sns: string; sqs: string; stepFunctions: string; lambdaRouter: string }): NodeJS.ProcessEnv;
};

export function functionEnvironment(region: string, endpoints: AwsEndpoints): NodeJS.ProcessEnv {
  return stackEnvironment({ region, dynamodb: endpoints.dynamodb, sns: endpoints.sns, sqs: endpoints.sqs, stepFunctions: endpoints.stepFunctions, lambdaRouter: endpoints.lambda });
}

/** `serverless offline` for one service, on its HTTP and Lambda ports, in its own process group. */
export async function startOffline(options: OfflineOptions): Promise<RunningOffline> {
  const { ports, host } = options;
  const child = ManagedProcess.start({
    name: `${options.service} (serverless offline)`,
    command: process.execPath,
    args: [
      // Four of these stay up all day: a young generation of 1 MiB semi-spaces and one V8 worker
      // thread keep each about 30 MiB smaller (measured: 270 -> 240 MiB idle per service).
      '--max-semi-space-size=1',
      '--v8-pool-size=1',
      serverlessCli(),
      'offline',
      'start',
      '--stage',
      options.stage,
      '--region',
      options.region,
      '--host',
      host,
      '--httpPort',
      String(ports.http),
      '--lambdaPort',
      String(ports.lambda),
      '--noPrependStageInUrl',
      ...(options.mode === 'in-process' ? ['--useInProcess'] : []),
    ],
    cwd: options.dir,
    env: serverlessEnv({
      ...functionEnvironment(options.region, options.endpoints),
      // The stack has bundled the handlers (src/build) and rebuilds them on save: the services'
      // local-offline plugin (shared/serverless/plugins/local-offline.js) then skips serverless-esbuild's
      // bundling and reloads a handler whose bundle changed.
      LOCAL_STACK_BUILD: '1',
      LOCAL_DATA_DIR: options.dataDir,
    }),
    logFile: options.logFile,
    echo: options.echo,
  });
  options.onSpawn?.(child);
  const component = `${options.service} (serverless offline)`;
  try {
    await waitUntil(
      async () => (await isListening(ports.lambda, host)) && (!options.hasHttp || (await isListening(ports.http, host))),
      {
        timeoutMs: options.startTimeoutMs ?? 180_000,
        intervalMs: 150,
        description: `${component} on ports ${ports.http}/${ports.lambda}`,
        failFast: () => {
          if (!child.running) return new ComponentStartError(component, `the process exited:\n${child.recentOutput(15)}`, options.logFile);
          // The framework prints "Error:" and may then hang on its file watchers instead of exiting.
          const output = child.recentOutput(60);
          if (/^Error:\s*$/m.test(output)) return new ComponentStartError(component, output.slice(output.search(/^Error:\s*$/m)).slice(0, 1500), options.logFile);
          return undefined;
        },
      },
    );
  } catch (error) {
    await child.stop();
    throw error instanceof ComponentStartError ? error : new ComponentStartError(component, (error as Error).message, options.logFile);
  }
  return {
    service: options.service,
    process: child,
    httpUrl: `http://${host}:${ports.http}`,
    lambdaUrl: `http://${host}:${ports.lambda}`,
    stop: async () => void (await child.stop()),
  };
}

export const offlineLogFile = (logsDir: string, service: ServiceName) => path.join(logsDir, `${service}.log`);
