import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { devCredentials, PlatformClient } from '../../tools/local-stack/src/client/platform-client';
import { REPO_ROOT } from '../../tools/local-stack/src/config';
import { requireEndpoints } from '../../tools/local-stack/src/endpoints';
import { eventually, unique } from './support/context';

/**
 * One service alone, as its README says: `npx serverless offline start` in its folder. With the
 * stack running it uses the stack's emulators (its ports moved beside the stack's copy); without
 * one it says in one line what to run first, and exits.
 */
const INVENTORY = path.join(REPO_ROOT, 'services', 'inventory');
const SERVERLESS = require.resolve('serverless/bin/serverless.js');

function offline(env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [SERVERLESS, 'offline', 'start'], { cwd: INVENTORY, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

test('without a running stack it says in one line what to run first, and exits', async () => {
  const run = offline({ LOCAL_ENDPOINTS_FILE: path.join(REPO_ROOT, '.local', 'no-such-endpoints.json') });
  expect(await run.exited).toBe(1);
  const lines = run.output().trim().split('\n');
  expect(lines).toEqual(['inventory: no local stack is running; run `npm start` at the repository root first, then start this service again.']);
});

test('with the stack running it serves its API on moved ports, against the stack\'s DynamoDB', async () => {
  const endpoints = requireEndpoints();
  const platform = new PlatformClient(endpoints);
  const sku = unique('ALONE-SKU');
  await platform.putStock(sku, { price: 1234, currency: 'EUR', available: 3 });
  const run = offline({});
  try {
    const ready = await eventually(async () => run.output(), (output) => /Server ready: /.test(output) || run.child.exitCode !== null, 120_000);
    const url = /Server ready: (http:\/\/[\d.:]+)/.exec(ready)?.[1];
    expect(url).toBeDefined();
    expect(url).not.toBe(endpoints.inventoryApi);
    expect(run.output()).toContain("Using the local stack's emulators and services");
    const response = await fetch(`${url}/inventory/${sku}`, { headers: await devCredentials().admin() });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ sku, price: 1234, available: 3 });
    // The request ran in this process: its log is in the developer's terminal.
    expect(run.output()).toContain(`GET /inventory/${sku}`);
  } finally {
    run.child.kill('SIGINT');
    await run.exited;
  }
});
