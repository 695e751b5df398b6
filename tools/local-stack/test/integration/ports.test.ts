import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { REPO_ROOT, resolveConfig, resolvePorts } from '../../src/config';
import { buildEndpoints } from '../../src/endpoints';
import { PortInUseError } from '../../src/errors';
import { LocalStack } from '../../src/stack';
import { logger } from '../support';

describe('the port layout', () => {
  it('puts the saga inspector at base + 204 (3304 by default), LOCAL_PORT_INSPECTOR moves it alone', () => {
    expect(resolvePorts({})).toMatchObject({ dynamodb: 3300, fauxqs: 3301, stepFunctions: 3302, admin: 3303, inspector: 3304 });
    expect(resolvePorts({ LOCAL_PORT_BASE: '4100' })).toMatchObject({ admin: 4303, inspector: 4304 });
    expect(resolvePorts({ LOCAL_PORT_BASE: '4100', LOCAL_PORT_INSPECTOR: '9000' })).toMatchObject({ admin: 4303, inspector: 9000 });
    expect(() => resolvePorts({ LOCAL_PORT_INSPECTOR: 'x' })).toThrow('LOCAL_PORT_INSPECTOR must be a port number');
  });

  it('endpoints.json names every URL of the stack, the inspector included', () => {
    const endpoints = buildEndpoints(resolveConfig([], { LOCAL_PORT_BASE: '4100' }), 42, new Date('2026-01-01T00:00:00Z'));
    expect(Object.keys(endpoints).sort()).toEqual(
      ['accountId', 'admin', 'dynamodb', 'inspector', 'inventoryApi', 'lambda', 'notificationApi', 'orderApi', 'paymentApi', 'pid', 'region', 'sns', 'sqs', 'startedAt', 'stepFunctions'].sort(),
    );
    expect(endpoints.inspector).toBe('http://127.0.0.1:4304');
  });
});

describe('a taken inspector port', () => {
  let dataDir: string;
  let server: Server;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops the start before anything runs, naming the variable that moves it', async () => {
    // Inside the repository, as LOCAL_DATA_DIR must be (the stack runs its service copies there).
    mkdirSync(path.join(REPO_ROOT, '.local'), { recursive: true });
    dataDir = mkdtempSync(path.join(REPO_ROOT, '.local', 'test-ports-'));
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const taken = (server.address() as { port: number }).port;
    // A base far from any stack on this machine; only the inspector's port is taken.
    const config = resolveConfig([], { LOCAL_DATA_DIR: dataDir, LOCAL_PORT_BASE: '51000', LOCAL_PORT_INSPECTOR: String(taken) });
    const stack = new LocalStack(config, logger);
    const error = await stack.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortInUseError);
    expect((error as PortInUseError).message).toBe(`Port ${taken} (saga inspector) is already in use by another process.`);
    expect((error as PortInUseError).hint).toContain(`LOCAL_PORT_INSPECTOR=<port> npm start moves this one`);
    expect(stack.endpoints).toBeUndefined();
  });
});
