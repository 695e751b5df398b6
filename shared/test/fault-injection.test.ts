import { mkdtempSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Context } from 'aws-lambda';
import { isTransientAwsError, TransientError } from '../src/errors';
import {
  countFaults,
  drawFunctionFault,
  FaultSource,
  faultSourceFromEnv,
  faultsFilePath,
  faultsFor,
  InvalidFaultsConfig,
  parseFaultsConfig,
  readFaultLog,
  withFaultInjection,
  withInjectedThrottling,
} from '../src/lambda/fault-injection';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../src/aws/dynamodb';

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'faults-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const context = (functionName: string, remainingMs = 50) =>
  ({ functionName, awsRequestId: 'req-1', getRemainingTimeInMillis: () => remainingMs }) as unknown as Context;

/** A random source that returns the given draws in turn. */
const draws = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

function writeFaults(config: unknown, file = path.join(dir, 'faults.json')): string {
  writeFileSync(file, JSON.stringify(config));
  return file;
}

describe('parseFaultsConfig', () => {
  it('accepts probabilities per function or pattern', () => {
    expect(parseFaultsConfig({ 'a-local-x': { transient: 0.1, timeout: 0.2, afterEffect: 0.3, duplicate: 1 }, '*': {} })).toEqual({
      'a-local-x': { transient: 0.1, timeout: 0.2, afterEffect: 0.3, duplicate: 1 },
      '*': {},
    });
  });

  it.each([
    ['not an object', [], /JSON object/],
    ['an entry that is not an object', { f: 0.1 }, /"f" must map to an object/],
    ['an unknown fault', { f: { crash: 0.1 } }, /unknown fault "crash"/],
    ['a probability above 1', { f: { transient: 1.5 } }, /probability from 0 to 1/],
    ['a negative probability', { f: { timeout: -0.1 } }, /probability from 0 to 1/],
    ['a probability that is not a number', { f: { timeout: '0.1' } }, /probability from 0 to 1/],
    ['function faults adding up to more than 1', { f: { transient: 0.6, afterEffect: 0.6 } }, /more than 1/],
  ])('rejects %s', (_what, value, message) => {
    expect(() => parseFaultsConfig(value)).toThrow(InvalidFaultsConfig);
    expect(() => parseFaultsConfig(value)).toThrow(message);
  });
});

describe('faultsFor', () => {
  const config = {
    '*': { transient: 0.01 },
    'inventory-local-*': { transient: 0.2 },
    'inventory-local-re*': { transient: 0.3 },
    'inventory-local-reserve': { timeout: 0.5 },
  };

  it('prefers the exact name, then the longest matching pattern', () => {
    expect(faultsFor(config, 'inventory-local-reserve')).toEqual({ timeout: 0.5 });
    expect(faultsFor(config, 'inventory-local-release')).toEqual({ transient: 0.3 });
    expect(faultsFor(config, 'inventory-local-ship')).toEqual({ transient: 0.2 });
    expect(faultsFor(config, 'order-local-confirmOrder')).toEqual({ transient: 0.01 });
  });

  it('gives nothing to an unmatched function; pattern characters other than * are literal', () => {
    expect(faultsFor({ 'a.b-*': { transient: 1 } }, 'axb-1')).toEqual({});
    expect(faultsFor({ 'a.b-*': { transient: 1 } }, 'a.b-1')).toEqual({ transient: 1 });
  });
});

describe('drawFunctionFault', () => {
  const faults = { transient: 0.1, timeout: 0.2, afterEffect: 0.3 };
  it.each([
    [0, 'transient'],
    [0.0999, 'transient'],
    [0.1, 'timeout'],
    [0.2999, 'timeout'],
    [0.31, 'afterEffect'],
    [0.5999, 'afterEffect'],
    [0.61, undefined],
    [0.9999, undefined],
  ])('draw %p gives %p', (draw, kind) => {
    expect(drawFunctionFault(faults, () => draw)).toBe(kind);
  });

  it('injects nothing without probabilities', () => {
    expect(drawFunctionFault({ duplicate: 1 }, () => 0)).toBeUndefined();
  });
});

describe('faultsFilePath', () => {
  it('is undefined on every stage but local', () => {
    expect(faultsFilePath({ STAGE: 'prod', FAULTS_FILE: '/x/faults.json', IS_OFFLINE: 'true' }, dir)).toBeUndefined();
    expect(faultsFilePath({ FAULTS_FILE: '/x/faults.json' }, dir)).toBeUndefined();
    expect(faultSourceFromEnv({ STAGE: 'dev', LOCAL_DATA_DIR: dir }, dir)).toBeUndefined();
  });

  it('takes FAULTS_FILE, else LOCAL_DATA_DIR/faults.json (a relative one from the repository)', () => {
    expect(faultsFilePath({ STAGE: 'local', FAULTS_FILE: 'f.json', LOCAL_DATA_DIR: '/data' }, dir)).toBe(path.join(dir, 'f.json'));
    expect(faultsFilePath({ STAGE: 'local', LOCAL_DATA_DIR: '/data' }, dir)).toBe('/data/faults.json');
    const nested = path.join(dir, 'services', 'order');
    mkdirSync(nested, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'order-platform' }));
    expect(faultsFilePath({ STAGE: 'local', LOCAL_DATA_DIR: '.local/other' }, nested)).toBe(path.join(dir, '.local', 'other', 'faults.json'));
  });

  it('else, under serverless offline only, .local/faults.json of the repository', () => {
    const nested = path.join(dir, '.local', 'run', 'services', 'order');
    mkdirSync(nested, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'order-platform' }));
    expect(faultsFilePath({ STAGE: 'local', IS_OFFLINE: 'true' }, nested)).toBe(path.join(dir, '.local', 'faults.json'));
    // A unit test (no IS_OFFLINE) never picks up a faults file left in the repository.
    expect(faultsFilePath({ STAGE: 'local' }, nested)).toBeUndefined();
  });
});

describe('FaultSource', () => {
  it('has no faults while the file is absent and follows the file as it changes', () => {
    const file = path.join(dir, 'faults.json');
    const source = new FaultSource(file, { random: () => 0 });
    expect(source.drawFunctionFault('f')).toBeUndefined();

    writeFaults({ f: { transient: 1 } }, file);
    expect(source.drawFunctionFault('f')).toBe('transient');

    writeFaults({ f: { afterEffect: 1 } }, file);
    utimesSync(file, new Date(), new Date(Date.now() + 5_000)); // a new mtime even within one clock tick
    expect(source.drawFunctionFault('f')).toBe('afterEffect');

    rmSync(file);
    expect(source.drawFunctionFault('f')).toBeUndefined();
  });

  it('injects nothing from a malformed file and says why', () => {
    const warnings: string[] = [];
    const file = path.join(dir, 'faults.json');
    writeFileSync(file, '{"f": {"transient": 2}}');
    const source = new FaultSource(file, { random: () => 0, warn: (message) => warnings.push(message) });
    expect(source.drawFunctionFault('f')).toBeUndefined();
    expect(warnings.join()).toMatch(/ignoring .*faults\.json: "f"\.transient must be a probability/);
  });

  it('draws duplicates with their own probability', () => {
    const source = new FaultSource(writeFaults({ q: { duplicate: 0.5 } }), { random: draws(0.4, 0.6) });
    expect(source.drawDuplicate('q')).toBe(true);
    expect(source.drawDuplicate('q')).toBe(false);
    expect(source.drawDuplicate('other')).toBe(false);
  });

  it('logs every fault beside the faults file, readable and countable', () => {
    const source = new FaultSource(writeFaults({}), { now: () => new Date('2030-01-01T00:00:00.000Z') });
    source.record('f', 'transient', 'r1');
    source.record('f', 'duplicate', 'm1');
    source.record('g', 'transient');
    const entries = readFaultLog(source.logFile);
    expect(entries).toEqual([
      { at: '2030-01-01T00:00:00.000Z', functionName: 'f', kind: 'transient', ref: 'r1' },
      { at: '2030-01-01T00:00:00.000Z', functionName: 'f', kind: 'duplicate', ref: 'm1' },
      { at: '2030-01-01T00:00:00.000Z', functionName: 'g', kind: 'transient' },
    ]);
    expect(countFaults(entries)).toEqual({ transient: 2, timeout: 0, afterEffect: 0, duplicate: 1, throttle: 0 });
    expect(readFaultLog(source.logFile, new Date('2030-01-01T00:00:00.001Z'))).toEqual([]);
    expect(readFaultLog(path.join(dir, 'missing.jsonl'))).toEqual([]);
  });
});

describe('withFaultInjection', () => {
  const effects: string[] = [];
  const handler = async (event: { id: string }) => {
    effects.push(event.id);
    return { done: event.id };
  };
  beforeEach(() => (effects.length = 0));

  const wrapped = (config: unknown) => withFaultInjection(handler, new FaultSource(writeFaults(config), { random: () => 0 }));

  it('is the handler itself when fault injection is off', () => {
    expect(withFaultInjection(handler, undefined)).toBe(handler);
  });

  it('passes through functions without faults', async () => {
    await expect(wrapped({ other: { transient: 1 } })({ id: 'a' }, context('f'))).resolves.toEqual({ done: 'a' });
    expect(effects).toEqual(['a']);
  });

  it('transient: fails before any effect, with an error the saga retries and HTTP answers 503', async () => {
    const error = await wrapped({ f: { transient: 1 } })({ id: 'a' }, context('f')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).name).toBe('TransientError');
    expect(isTransientAwsError(error)).toBe(true);
    expect(effects).toEqual([]);
  });

  it('afterEffect: the effect happens, then the reply is lost', async () => {
    const error = await wrapped({ f: { afterEffect: 1 } })({ id: 'a' }, context('f')).catch((e: unknown) => e);
    expect((error as Error).name).toBe('TransientError');
    expect((error as Error).message).toMatch(/work was done but the reply was lost/);
    expect(effects).toEqual(['a']);
  });

  it('timeout: hangs past the remaining time doing nothing, then fails as Lambda reports a timeout', async () => {
    const started = Date.now();
    const error = await wrapped({ f: { timeout: 1 } })({ id: 'a' }, context('f', 20)).catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(20);
    expect((error as Error).name).toBe('Sandbox.Timedout');
    expect(effects).toEqual([]);
  });

  it('logs each injected fault with the request id', async () => {
    const source = new FaultSource(writeFaults({ f: { transient: 1 } }), { random: () => 0 });
    await withFaultInjection(handler, source)({ id: 'a' }, context('f')).catch(() => undefined);
    expect(readFaultLog(source.logFile)).toEqual([expect.objectContaining({ functionName: 'f', kind: 'transient', ref: 'req-1' })]);
  });
});

describe('withInjectedThrottling (an AWS API call throttled from the faults file)', () => {
  /** A Step Functions client that never reaches the network: its build step answers for it. */
  function offlineSfn(): SFNClient {
    const client = new SFNClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    client.middlewareStack.add(() => async () => ({ output: { executionArn: 'arn:started', startDate: new Date(), $metadata: {} }, response: {} }), {
      step: 'deserialize',
      priority: 'high',
      name: 'offline',
    });
    return client;
  }
  const start = (client: SFNClient) => client.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:eu-west-1:1:stateMachine:s', name: 'o-1', input: '{}' }));

  it('throttles every attempt of the named operation as AWS does (ThrottlingException, retryable); the SDK retries it; each is logged', async () => {
    const file = writeFaults({ 'aws:StartExecution': { throttle: 1 } });
    const client = withInjectedThrottling(offlineSfn(), 'ThrottlingException', new FaultSource(file, { random: () => 0 }));
    const error = await start(client).catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400, attempts: 3 } });
    expect(isTransientAwsError(error)).toBe(true);
    const log = readFaultLog(path.join(dir, 'faults-log.jsonl'));
    expect(log).toHaveLength(3);
    expect(log.every((entry) => entry.functionName === 'aws:StartExecution' && entry.kind === 'throttle')).toBe(true);
  });

  it('a throttle that clears between attempts: the SDK retry succeeds', async () => {
    const file = writeFaults({ 'aws:StartExecution': { throttle: 0.5 } });
    const client = withInjectedThrottling(offlineSfn(), 'ThrottlingException', new FaultSource(file, { random: draws(0.1, 0.9) }));
    await expect(start(client)).resolves.toMatchObject({ executionArn: 'arn:started', $metadata: { attempts: 2 } });
  });

  it('lets the call through when the file names another operation, or no file exists', async () => {
    const other = withInjectedThrottling(offlineSfn(), 'ThrottlingException', new FaultSource(writeFaults({ 'aws:DescribeExecution': { throttle: 1 } }), { random: () => 0 }));
    await expect(start(other)).resolves.toMatchObject({ executionArn: 'arn:started' });
    const none = withInjectedThrottling(offlineSfn(), 'ThrottlingException', new FaultSource(path.join(dir, 'absent.json'), { random: () => 0 }));
    await expect(start(none)).resolves.toMatchObject({ executionArn: 'arn:started' });
  });

  it('on a DynamoDB client: the document client\'s PutItem answered ProvisionedThroughputExceededException', async () => {
    const base = new DynamoDBClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 });
    const source = new FaultSource(writeFaults({ 'aws:PutItem': { throttle: 1 } }), { random: () => 0 });
    const doc = createDocumentClient(withInjectedThrottling(base, 'ProvisionedThroughputExceededException', source));
    const error = await doc.send(new PutCommand({ TableName: 't', Item: { id: '1' } })).catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    expect(isTransientAwsError(error)).toBe(true);
    expect(readFaultLog(path.join(dir, 'faults-log.jsonl'))).toMatchObject([{ functionName: 'aws:PutItem', kind: 'throttle' }]);
  });

  it('accepts throttle in the faults file, a probability like the others', () => {
    expect(parseFaultsConfig({ 'aws:StartExecution': { throttle: 0.5 } })).toEqual({ 'aws:StartExecution': { throttle: 0.5 } });
    expect(() => parseFaultsConfig({ 'aws:StartExecution': { throttle: 2 } })).toThrow(InvalidFaultsConfig);
  });
});
