'use strict';
// A serverless plugin for the `local` stage only: `serverless offline` against the local stack.
// It does nothing on any other stage, and nothing for `serverless deploy` or `package` unless the
// local stack asks for it (LOCAL_STACK_BUILD=1).
//
// - A developer runs one service alone (`npx serverless offline start`, or `npm start` in its
//   folder) while `npm start` runs: its functions get the stack's emulator and Lambda endpoints
//   from .local/endpoints.json. Without a running stack it stops with one line saying what to run
//   first, so that no function ever reaches real AWS with a developer's credentials.
// - Inside the local stack (LOCAL_STACK_BUILD=1): the stack bundles the handlers itself into
//   .esbuild/.build with live reload (tools/local-stack/src/build), so serverless-esbuild skips its
//   own bundling, and a handler whose bundle changed is loaded afresh at its next invocation.
const { existsSync, mkdirSync, readFileSync, watch } = require('node:fs');
const path = require('node:path');
const { dataDir } = require('../local-paths');

const LOCAL_STAGE = 'local';
/** How far a service run beside the stack moves its ports (3102 -> 4102). */
const PORT_SHIFT = 1000;

/** The running stack's endpoints, or why there are none (missing file, or a stack that has died). */
function readStackEndpoints(file) {
  if (!existsSync(file)) return { missing: 'no local stack is running' };
  let endpoints;
  try {
    endpoints = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return { missing: `${file} cannot be read (${error.message})` };
  }
  try {
    process.kill(endpoints.pid, 0);
  } catch {
    return { missing: `the local stack that wrote ${file} (pid ${endpoints.pid}) is no longer running` };
  }
  return { endpoints };
}

/** What the functions see: the stack's emulators for every AWS SDK client, dummy credentials. */
function stackEnvironment({ region, dynamodb, sns, sqs, stepFunctions, lambdaRouter }) {
  return {
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamodb,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: dynamodb,
    AWS_ENDPOINT_URL_SNS: sns,
    AWS_ENDPOINT_URL_SQS: sqs,
    AWS_ENDPOINT_URL_SFN: stepFunctions,
    // The stack's router passes an Invoke to whichever service owns the function.
    AWS_ENDPOINT_URL_LAMBDA: lambdaRouter,
  };
}

/**
 * Drops a module from require's cache and from its parent's `children`, which would otherwise
 * keep every replaced bundle (and all it holds) alive for the life of the process.
 */
function forget(file) {
  const cached = require.cache[file];
  if (!cached) return;
  delete require.cache[file];
  for (const parent of Object.values(require.cache)) {
    const index = parent?.children?.indexOf(cached) ?? -1;
    if (index !== -1) parent.children.splice(index, 1);
  }
}

class LocalOffline {
  constructor(serverless, options, { log } = {}) {
    this.serverless = serverless;
    this.options = options;
    this.log = log ?? console;
    this.hooks = {
      initialize: () => this.initialize(),
      'before:offline:start:init': () => this.beforeOffline(),
      'before:offline:start': () => this.beforeOffline(),
      'offline:start:ready': () => this.releaseStartupMemory(),
    };
  }

  get stage() {
    return this.options.stage ?? this.serverless.service.provider.stage;
  }

  get stackBuild() {
    return process.env.LOCAL_STACK_BUILD === '1';
  }

  initialize() {
    if (this.stage !== LOCAL_STAGE) return;
    const custom = (this.serverless.service.custom ??= {});
    // serverless-offline cannot verify a JWT signature and refuses to start a JWT authorizer unless
    // told to skip it; on the local stage every function verifies the token itself against the
    // development issuer's keys (shared/serverless/auth.yml, mode local-jwks).
    custom['serverless-offline'] = { ...custom['serverless-offline'], ignoreJWTSignature: true };
    if (this.stackBuild) {
      for (const fn of Object.values(this.serverless.service.functions ?? {})) fn.skipEsbuild = true;
      // Its file watcher would only ever see the stack's copy of the sources, which never changes;
      // its clean-up after packaging would delete the stack's bundles; and with nothing bundled
      // it expects a work folder it did not make.
      custom.esbuild = { ...custom.esbuild, watch: { pattern: [], ignore: [] }, keepOutputDirectory: true };
      mkdirSync(path.join(this.serverless.serviceDir, '.esbuild', '.serverless'), { recursive: true });
    }
  }

  beforeOffline() {
    if (this.stage !== LOCAL_STAGE || this.offlinePrepared) return;
    this.offlinePrepared = true;
    if (this.stackBuild) {
      this.reloadChangedBundles();
      return;
    }
    const file = process.env.LOCAL_ENDPOINTS_FILE || path.join(dataDir, 'endpoints.json');
    const { endpoints, missing } = readStackEndpoints(file);
    if (!endpoints) {
      // One line, and a clean exit: the functions need the stack's emulators and would otherwise
      // look for real AWS.
      process.stderr.write(`${this.serverless.service.service}: ${missing}; run \`npm start\` at the repository root first, then start this service again.\n`);
      process.exit(1);
    }
    const environment = (this.serverless.service.provider.environment ??= {});
    Object.assign(environment, stackEnvironment({ ...endpoints, lambdaRouter: endpoints.admin }));
    const moved = this.portsBesideTheStack(endpoints);
    this.log.notice?.(`Using the local stack's emulators and services (${file})${moved}`);
  }

  /**
   * The stack runs its own copy of every service on the ports each serverless.yml names; this one
   * then takes the same ports + PORT_SHIFT (unless --httpPort/--lambdaPort say otherwise).
   */
  portsBesideTheStack(endpoints) {
    const custom = this.serverless.service.custom;
    const settings = (custom['serverless-offline'] ??= {});
    const taken = new Set(
      [endpoints.orderApi, endpoints.inventoryApi, endpoints.paymentApi, endpoints.notificationApi, endpoints.admin, ...Object.values(endpoints.lambda ?? {})].map((url) => Number(new URL(url).port)),
    );
    const moved = [];
    for (const [key, fallback] of [['httpPort', 3000], ['lambdaPort', 3002]]) {
      const port = Number(this.options[key] ?? settings[key] ?? fallback);
      if (this.options[key] === undefined && taken.has(port)) {
        settings[key] = port + PORT_SHIFT;
        moved.push(`${key} ${settings[key]}`);
      }
    }
    return moved.length ? `; the stack runs its own ${this.serverless.service.service} on the usual ports, so this one listens on ${moved.join(', ')}` : '';
  }

  /**
   * Inside the stack, four of these processes stay up all day: a full garbage collection once
   * serverless-offline listens gives back what loading the framework and the config left behind.
   */
  releaseStartupMemory() {
    if (this.stage !== LOCAL_STAGE || !this.stackBuild) return;
    try {
      require('node:v8').setFlagsFromString('--expose-gc');
      require('node:vm').runInNewContext('gc')();
    } catch {
      // Not allowed on this Node: the memory is given back later, or not at all.
    }
  }

  /**
   * serverless-offline (in-process) requires a handler's bundle once and keeps it; when the stack
   * rewrites a bundle, forget it, so the next invocation loads the new code (a cold start of that
   * function only, as a deploy gives on AWS). Worker threads are recycled by functionsUpdated.
   */
  reloadChangedBundles() {
    const buildDir = path.join(this.serverless.serviceDir ?? this.serverless.config.servicePath, '.esbuild', '.build');
    // The folders of the handlers, each watched itself: a bundle is replaced by a rename, which a
    // folder's watch reports and a watch on the file (as recursive watching does on Linux) loses.
    const folders = new Set(Object.values(this.serverless.service.functions ?? {}).map((fn) => path.dirname(path.join(buildDir, fn.handler))));
    for (const folder of folders) {
      if (!existsSync(folder)) continue;
      const watcher = watch(folder, (_event, name) => {
        if (!name || !name.endsWith('.js')) return;
        forget(path.join(folder, name));
        this.serverless.pluginManager.spawn('offline:functionsUpdated').catch(() => undefined);
      });
      watcher.unref();
    }
  }
}

module.exports = LocalOffline;
module.exports.stackEnvironment = stackEnvironment;
