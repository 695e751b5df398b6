import { FAULTS_FILE_NAME } from '@order-platform/shared/lambda/fault-injection';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ensureDevIssuer } from '../../devauth/src/index';
import { startInspectorWeb } from '../../../ops/inspector/src/web/server';
import { startAdminServer } from './admin-server';
import { localClientConfig } from './aws-clients';
import { startDynamoDb } from './components/dynamodb';
import { FAUXQS_PROCESS_MARKER, startFauxqsProcess } from './components/fauxqs';
import { offlineLogFile, startOffline, type RunningOffline } from './components/offline';
import { packageTemplates } from './components/package-templates';
import { mirrorRoot, mirrorServices } from './components/service-mirror';
import { HandlerBuilder } from './build/handler-builder';
import { handlerEntries, type HandlerEntry } from './build/handler-entries';
import { LiveReload } from './build/live-reload';
import { TypeChecker } from './build/type-checker';
import { startStepFunctions } from './components/stepfunctions';
import { functionPrefix, serviceDir, SERVICE_NAMES, type ServiceName, type StackConfig } from './config';
import { buildEndpoints, removeEndpoints, writeEndpoints, type StackEndpoints } from './endpoints';
import { ComponentStartError, StackAlreadyRunningError, StackStartError } from './errors';
import { colors, type Logger } from './log';
import { DeliveryLog } from './pollers/delivery-log';
import { EventRunner } from './pollers/event-runner';
import { isAlive, signalGroup, type ManagedProcess } from './process/managed-process';
import { RestartTracker } from './process/restart-policy';
import { sleep } from './process/wait';
import { assertPortFree } from './process/ports';
import { processMatches, readStackState, reapOrphans, removeStackState, writeStackState, type StackState } from './process/stack-state';
import { provision, provisionStateMachines, type ProvisionResult } from './provision/provision';
import { loadTemplate, type CfnTemplate, type StackTemplate } from './provision/template';

interface Stoppable {
  name: string;
  stop(): Promise<void>;
}

/** A component that runs as a child process: what the admin API's /components reports. */
export interface ComponentStatus {
  name: string;
  pid: number | undefined;
  state: 'running' | 'restarting' | 'gave up';
  /** Restarts after a death (not a serverless.yml change). */
  restarts: number;
  lastDeath?: { at: string; detail: string };
  /** From the death to the restarted component answering again, in ms. */
  lastRecoveryMs?: number;
}

/** Has the template HTTP API or REST API routes (serverless-offline then opens its HTTP port)? */
function hasHttpRoutes(template: CfnTemplate): boolean {
  return Object.values(template.Resources).some((r) => r.Type.startsWith('AWS::ApiGatewayV2::') || r.Type.startsWith('AWS::ApiGateway::'));
}

/** An Invoke waits this long for a service the supervisor is restarting (restarts take 4-15 s here). */
const INVOKE_WAITS_FOR_RESTART_MS = 60_000;

/** Part of the `npm start` command line, to recognise a running stack by its pid. */
export const START_MARKER = 'tools/local-stack/src/start';

/**
 * The whole local system, started in dependency order and stopped in reverse:
 * emulators (DynamoDB Local, fauxqs) while the templates are packaged → tables, queues, topics
 * and subscriptions from the templates → `serverless offline` per service → the Step Functions
 * server and the state machines → event source pollers and schedules → endpoints.json.
 * A failure at any step stops what was started and leaves nothing running.
 */
export class LocalStack {
  private readonly started: Stoppable[] = [];
  private readonly children: Array<{ name: string; process: ManagedProcess; marker: string }> = [];
  private readonly startedAt = new Date();
  private stopping: Promise<void> | undefined;
  private readyEndpoints: StackEndpoints | undefined;
  /** Called when a component keeps dying after the stack was ready (the supervisor gave up on it). */
  onComponentExit: (name: string, detail: string) => void = () => undefined;
  /** Restarts a dead child component, by its name (each start registers its own). */
  private readonly restarters = new Map<string, () => Promise<unknown>>();
  private readonly trackers = new Map<string, RestartTracker>();
  private readonly statuses = new Map<string, ComponentStatus>();
  /** Where Step Functions and the pollers invoke functions: the admin API's router, per function-name prefix. */
  private invokeEndpoints: Record<string, string> = {};
  private builder: HandlerBuilder | undefined;
  private liveReload: LiveReload | undefined;
  private typeChecker: TypeChecker | undefined;
  private runner: EventRunner | undefined;
  private readonly offline = new Map<ServiceName, RunningOffline>();
  private serviceDirs = {} as Record<ServiceName, string>;
  private stacks: StackTemplate[] = [];
  /** Services being restarted on purpose (a serverless.yml change): their exit is no crash. */
  private readonly restarting = new Set<string>();

  constructor(
    readonly config: StackConfig,
    private readonly logger: Logger,
  ) {}

  get endpoints(): StackEndpoints | undefined {
    return this.readyEndpoints;
  }

  async start(): Promise<StackEndpoints> {
    const { config, logger } = this;
    this.claimDataDir();
    try {
      await this.assertPortsFree();
      const endpoints = buildEndpoints(config, process.pid, this.startedAt);

      // The development issuer's keys: the services verify every token against them locally.
      await ensureDevIssuer(path.join(config.dataDir, 'auth'));
      // Emulators come up while the templates are packaged (the slow part of a first start).
      this.serviceDirs = mirrorServices(config, SERVICE_NAMES);
      const [templates] = await settleAll([
        this.timed('templates', () => packageTemplates(config, this.serviceDirs, logger), (files) => `${Object.keys(files).length} packaged templates`),
        this.startDynamoDb(),
        this.startFauxqs(),
      ] as const);
      this.stacks = SERVICE_NAMES.map((service) => ({ stackName: `${service}-${config.stage}`, template: loadTemplate(templates[service]) }));
      await this.buildHandlers();

      const [provisioned] = await settleAll([
        this.timed('resources', () => this.provision(endpoints), (result) => summarize(result.resources.map((r) => r.type))),
        settleAll(SERVICE_NAMES.map((service) => this.startService(service, endpoints))),
      ] as const);

      const lambdaEndpoints = this.lambdaEndpoints(endpoints);
      // The admin API's Lambda router comes first: Step Functions and the pollers invoke through
      // it, and it holds a call while the supervisor restarts the service it is for.
      const stack = this;
      const admin = await startAdminServer(config.ports.admin, config.host, {
        get deliveries() {
          return stack.runner?.deliveries ?? new DeliveryLog();
        },
        describe: () => stack.runner?.describe() ?? {},
        components: () => ({
          stackPid: process.pid,
          components: stack.components(),
          // These run inside the stack's own process: they stop (and start) with it.
          inProcess: ['Step Functions', 'event sources', 'admin', 'saga inspector'],
        }),
        lambdaRoutes: lambdaEndpoints,
        waitForRestartMs: INVOKE_WAITS_FOR_RESTART_MS,
      });
      this.started.push({ name: 'admin', stop: () => admin.stop() });
      this.invokeEndpoints = Object.fromEntries(Object.keys(lambdaEndpoints).map((prefix) => [prefix, endpoints.admin]));
      await this.startStepFunctions(this.invokeEndpoints);
      await this.provisionStateMachines(provisioned, endpoints);

      await this.startEventSources(provisioned, endpoints);
      this.started.push({ name: 'event sources', stop: async () => this.runner?.stop() });
      logger.ready('event sources', describeSources(provisioned.eventSources.length, provisioned.schedules.length), Date.now());
      await this.startInspector(endpoints);
      if (config.watch) await this.startLiveReload(endpoints);
      // Without live reload nothing rebuilds: esbuild's service need not stay up.
      else await this.builder?.dispose();

      writeEndpoints(config.endpointsFile, endpoints);
      this.readyEndpoints = endpoints;
      return endpoints;
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  private lambdaEndpoints(endpoints: StackEndpoints): Record<string, string> {
    return Object.fromEntries(SERVICE_NAMES.map((service) => [functionPrefix(service, this.config.stage), endpoints.lambda[service]]));
  }

  private entries(): HandlerEntry[] {
    return this.stacks.flatMap((stack, index) => {
      const service = SERVICE_NAMES[index]!;
      return handlerEntries(stack.template, serviceDir(this.config, service), this.serviceDirs[service]);
    });
  }

  /**
   * Every function's bundle, from the sources (not the stack's copy of them), into the folder
   * serverless-offline loads from. A start with broken code still comes up on the last good
   * bundles if there are any; the build error is printed either way.
   */
  private async buildHandlers(): Promise<void> {
    const startedAt = Date.now();
    const { config, logger } = this;
    const entries = this.entries();
    this.builder = new HandlerBuilder({ rootDir: config.rootDir, outDir: mirrorRoot(config), entries, color: process.stdout.isTTY === true });
    this.started.push({ name: 'handler builds', stop: async () => this.builder?.dispose() });
    const result = await this.builder.build();
    if (result.ok) {
      logger.ready('handlers', `${entries.length} functions bundled, ${result.changed.length} changed since the last start`, startedAt);
      return;
    }
    if (entries.every((entry) => existsSync(entry.output))) {
      logger.error(`build failed at ${result.location ?? 'an unknown place'}; starting on the last good bundles:`);
      for (const line of result.message.trimEnd().split('\n')) logger.info(line);
      return;
    }
    throw new ComponentStartError('handlers', `the build failed:\n${result.message}`);
  }

  private async provision(endpoints: StackEndpoints): Promise<ProvisionResult> {
    const { config, logger } = this;
    const clients = {
      dynamodb: new DynamoDBClient(localClientConfig(endpoints.dynamodb, config.region)),
      sns: new SNSClient(localClientConfig(endpoints.sns, config.region)),
      sqs: new SQSClient(localClientConfig(endpoints.sqs, config.region)),
    };
    try {
      return await provision(this.stacks, clients, { region: config.region, accountId: config.accountId, sqsEndpoint: endpoints.sqs }, logger);
    } finally {
      for (const client of Object.values(clients)) client.destroy();
    }
  }

  private async provisionStateMachines(provisioned: ProvisionResult, endpoints: StackEndpoints): Promise<void> {
    const sfn = new SFNClient(localClientConfig(endpoints.stepFunctions, this.config.region));
    try {
      await this.timed('state machines', () => provisionStateMachines(provisioned.resolved, sfn, this.logger), (machines) => machines.map((m) => m.name).join(', ') || 'none');
    } finally {
      sfn.destroy();
    }
  }

  private async startEventSources(provisioned: ProvisionResult, endpoints: StackEndpoints): Promise<void> {
    const { config, logger } = this;
    this.runner = new EventRunner({
      eventSources: provisioned.eventSources,
      schedules: provisioned.schedules,
      lambdaEndpoints: this.invokeEndpoints,
      dynamodbEndpoint: endpoints.dynamodb,
      sqsEndpoint: endpoints.sqs,
      snsEndpoint: endpoints.sns,
      region: config.region,
      accountId: config.accountId,
      checkpointFile: path.join(config.dataDir, 'stream-checkpoints.json'),
      faultsFile: path.join(config.dataDir, FAULTS_FILE_NAME),
      logger,
    });
    await this.runner.start();
  }

  private async startLiveReload(endpoints: StackEndpoints): Promise<void> {
    const { config, logger } = this;
    if (config.typecheck) {
      this.typeChecker = new TypeChecker({ rootDir: config.rootDir, buildInfoFile: path.join(config.dataDir, 'typecheck.tsbuildinfo'), logger });
      this.started.push({ name: 'type checks', stop: async () => this.typeChecker?.stop() });
    }
    this.liveReload = new LiveReload({
      rootDir: config.rootDir,
      services: SERVICE_NAMES,
      builder: this.builder!,
      logger,
      typeChecker: this.typeChecker,
      onConfigChange: (service, files) => this.applyConfigChange(service === 'all' ? [...SERVICE_NAMES] : [service], files, endpoints),
    });
    const startedAt = Date.now();
    await this.liveReload.start();
    this.started.push({ name: 'live reload', stop: async () => this.liveReload?.stop() });
    logger.ready('live reload', 'watching services/*/src and shared/src (serverless.yml restarts its service; --no-watch turns it off)', startedAt);
  }

  /**
   * A serverless.yml (or a file it includes) changed: package the service again, and only if that
   * worked, bundle, provision what is new, restart that service's serverless offline and the event
   * sources. A failure before the restart leaves the running service as it was.
   */
  private async applyConfigChange(services: ServiceName[], files: string[], endpoints: StackEndpoints): Promise<void> {
    const { config, logger } = this;
    const startedAt = Date.now();
    logger.info(`${colors.cyan('↻')} ${files.join(', ')} changed: packaging ${services.join(', ')}`);
    const dirs = mirrorServices(config, services);
    Object.assign(this.serviceDirs, dirs);
    const templates = await packageTemplates(config, dirs, logger);
    const before = new Set(this.entries().map((entry) => entry.functionName));
    for (const service of services) this.stacks[SERVICE_NAMES.indexOf(service)] = { stackName: `${service}-${config.stage}`, template: loadTemplate(templates[service]) };
    await this.builder!.setEntries(this.entries());
    const built = await this.builder!.build();
    if (!built.ok) throw new Error(`the build failed at ${built.location ?? 'an unknown place'}; the service keeps its previous configuration until it builds:\n${built.message}`);
    const provisioned = await this.provision(endpoints);
    await this.provisionStateMachines(provisioned, endpoints);
    for (const service of services) {
      const previous = this.offline.get(service);
      this.restarting.add(`${service} (serverless offline)`);
      try {
        await previous?.stop();
        await this.startService(service, endpoints);
      } finally {
        this.restarting.delete(`${service} (serverless offline)`);
      }
    }
    await this.runner?.stop();
    await this.startEventSources(provisioned, endpoints);
    const after = new Set(this.entries().map((entry) => entry.functionName));
    const added = [...after].filter((name) => !before.has(name));
    const removed = [...before].filter((name) => !after.has(name));
    const created = provisioned.resources.filter((resource) => resource.action === 'created');
    const parts = [
      added.length ? `functions added: ${added.join(', ')}` : '',
      removed.length ? `functions removed: ${removed.join(', ')}` : '',
      created.length ? `resources created: ${created.map((r) => r.logicalId).join(', ')}` : 'no new resource',
      `${provisioned.eventSources.length} event sources`,
    ].filter(Boolean);
    logger.ready(`${services.join(', ')} restarted`, parts.join('; '), startedAt);
  }

  /** Stops everything that was started, in reverse order; safe to call more than once. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      removeEndpoints(this.config.endpointsFile);
      for (const component of this.started.reverse()) {
        try {
          await component.stop();
        } catch (error) {
          this.logger.warn(`stopping ${component.name}: ${(error as Error).message}`);
        }
      }
      // A component the supervisor was restarting when the stop began.
      await Promise.all(this.children.map((child) => child.process.stop()));
      removeStackState(this.config.stateFile);
    })();
    return this.stopping;
  }

  /** Last resort (a second Ctrl-C, or the process exiting): kill every child group now. */
  killNow(): void {
    for (const child of this.children) if (child.process.pid && child.process.running) signalGroup(child.process.pid, 'SIGKILL');
  }

  private claimDataDir(): void {
    const { config, logger } = this;
    const previous = readStackState(config.stateFile);
    if (previous && previous.pid !== process.pid && isAlive(previous.pid) && processMatches(previous.pid, START_MARKER)) {
      throw new StackAlreadyRunningError(previous.pid, config.endpointsFile);
    }
    if (previous) {
      const reaped = reapOrphans(previous);
      if (reaped.length > 0) logger.warn(`stopped what an earlier stack left running: ${reaped.join(', ')}`);
    }
    if (config.fresh) {
      for (const dir of ['dynamodb', 'stepfunctions', 'fauxqs', 'stream-checkpoints.json']) rmSync(path.join(config.dataDir, dir), { recursive: true, force: true });
      logger.info('--fresh: previous DynamoDB, SNS/SQS and Step Functions data removed');
    }
    mkdirSync(config.logsDir, { recursive: true });
    removeEndpoints(config.endpointsFile);
    this.saveState();
  }

  private saveState(): void {
    const state: StackState = {
      pid: process.pid,
      startedAt: this.startedAt.toISOString(),
      children: this.children.filter((c) => c.process.pid).map((c) => ({ name: c.name, pid: c.process.pid!, marker: c.marker })),
    };
    writeStackState(this.config.stateFile, state);
  }

  private adopt(name: string, child: ManagedProcess, marker: string): void {
    this.children.push({ name, process: child, marker });
    // Spawned by a restart that the stop overtook: it goes at once.
    if (this.stopping) void child.stop();
    this.saveState();
    const status = this.statuses.get(name) ?? { name, pid: undefined, state: 'running', restarts: 0 };
    status.pid = child.pid;
    this.statuses.set(name, status);
    void child.exited.then((exit) => {
      // What the dead leader left in its group (esbuild's service, Java's helpers) goes with it; its log is closed.
      void child.stop();
      const index = this.children.findIndex((c) => c.process === child);
      if (index >= 0) this.children.splice(index, 1);
      if (!this.stopping) this.saveState();
      // A restart on purpose (serverless.yml changed), or by the supervisor (which sees its failure itself).
      if (this.restarting.has(name)) return;
      if (this.stopping || !this.readyEndpoints) return;
      void this.supervise(name, `exited with ${exit.code ?? exit.signal}`, child.recentOutput(10));
    });
  }

  /** The child components and their restarts, for the admin API (and `npm run chaos:kill`). */
  components(): ComponentStatus[] {
    return [...this.statuses.values()].map((status) => ({ ...status }));
  }

  /**
   * A child component died while the stack ran: restart it after a back-off (its data is on
   * disk; meanwhile the pollers retry, SQS redelivers, and an Invoke for it waits in the admin
   * router), or, when it keeps dying, stop the stack with a message that says so.
   */
  private async supervise(name: string, detail: string, output: string): Promise<void> {
    const { logger } = this;
    const diedAt = Date.now();
    const status = this.statuses.get(name)!;
    status.lastDeath = { at: new Date(diedAt).toISOString(), detail };
    const tracker = this.trackers.get(name) ?? new RestartTracker();
    this.trackers.set(name, tracker);
    const decision = tracker.recordDeath(diedAt);
    const restart = this.restarters.get(name);
    if (!restart || decision.action === 'give-up') {
      status.state = 'gave up';
      const why = decision.action === 'give-up' ? `died ${decision.deathsInWindow} times within ${decision.windowMs / 1000} s; not restarting it again` : 'cannot be restarted';
      this.onComponentExit(name, `${detail}; it ${why}. Last output:\n${output}`);
      return;
    }
    status.state = 'restarting';
    logger.error(`${name} died (${detail}); restarting it in ${(decision.delayMs / 1000).toFixed(2)} s (death ${decision.deathsInWindow} within a minute)`);
    await sleep(decision.delayMs);
    if (this.stopping) return;
    this.restarting.add(name);
    try {
      await restart();
    } catch (error) {
      this.restarting.delete(name);
      if (!this.stopping) void this.supervise(name, `its restart failed: ${(error as Error).message.split('\n')[0]}`, (error as Error).message);
      return;
    }
    this.restarting.delete(name);
    status.state = 'running';
    status.restarts += 1;
    status.lastRecoveryMs = Date.now() - diedAt;
    logger.ready(`${name} restarted`, `pid ${status.pid}, restart ${status.restarts}; timed from its death`, diedAt);
  }

  private async assertPortsFree(): Promise<void> {
    const { ports, host } = this.config;
    await assertPortFree(ports.dynamodb, '0.0.0.0', 'DynamoDB Local', 'dynamodb');
    await assertPortFree(ports.fauxqs, host, 'fauxqs (SNS/SQS)', 'fauxqs');
    await assertPortFree(ports.stepFunctions, host, 'Step Functions', 'stepfunctions');
    await assertPortFree(ports.admin, host, 'stack admin API', 'admin');
    await assertPortFree(ports.inspector, host, 'saga inspector', 'inspector');
    for (const service of SERVICE_NAMES) {
      await assertPortFree(ports.services[service].http, host, `${service} HTTP API`, `${service}_http`);
      await assertPortFree(ports.services[service].lambda, host, `${service} Lambda endpoint`, `${service}_lambda`);
    }
  }

  /** Registers a component's stop (replacing that of the process it restarts) and how to restart it. */
  private replaceStarted(name: string, stop: () => Promise<void>, restart: () => Promise<unknown>): void {
    const existing = this.started.find((component) => component.name === name);
    if (existing) existing.stop = stop;
    else this.started.push({ name, stop });
    this.restarters.set(name, restart);
  }

  private async timed<T>(name: string, run: () => Promise<T>, describe: (result: T) => string): Promise<T> {
    const startedAt = Date.now();
    const result = await run();
    this.logger.ready(name, describe(result), startedAt);
    return result;
  }

  private echo(component: string): ((line: string) => void) | undefined {
    return this.config.verbose ? (line) => console.log(colors.dim(`  [${component}] ${line}`)) : undefined;
  }

  private async startDynamoDb(): Promise<void> {
    const startedAt = Date.now();
    const name = 'DynamoDB Local';
    const dynamodb = await startDynamoDb({
      port: this.config.ports.dynamodb,
      dataDir: path.join(this.config.dataDir, 'dynamodb'),
      logFile: path.join(this.config.logsDir, 'dynamodb.log'),
      echo: this.echo('dynamodb'),
      onSpawn: (child) => this.adopt(name, child, 'DynamoDBLocal.jar'),
    });
    this.replaceStarted(name, dynamodb.stop, () => this.startDynamoDb());
    this.logger.ready('DynamoDB Local', `${dynamodb.endpoint} (data in ${path.relative(this.config.rootDir, path.join(this.config.dataDir, 'dynamodb'))}; binds all interfaces)`, startedAt);
  }

  private async startFauxqs(): Promise<void> {
    const startedAt = Date.now();
    const { config } = this;
    const name = 'fauxqs';
    const fauxqs = await startFauxqsProcess({
      port: config.ports.fauxqs,
      host: config.host,
      region: config.region,
      accountId: config.accountId,
      dataDir: path.join(config.dataDir, 'fauxqs'),
      logFile: path.join(config.logsDir, 'fauxqs.log'),
      echo: this.echo('fauxqs'),
      onSpawn: (child) => this.adopt(name, child, FAUXQS_PROCESS_MARKER),
    });
    this.replaceStarted(name, fauxqs.stop, () => this.startFauxqs());
    this.logger.ready('fauxqs (SNS + SQS)', fauxqs.endpoint, startedAt);
  }

  private async startService(service: ServiceName, endpoints: StackEndpoints): Promise<RunningOffline> {
    const startedAt = Date.now();
    const { config } = this;
    const logFile = offlineLogFile(config.logsDir, service);
    const offline = await startOffline({
      service,
      dir: this.serviceDirs[service],
      stage: config.stage,
      region: config.region,
      host: config.host,
      ports: config.ports.services[service],
      mode: config.offlineMode,
      // Lambda: the admin server routes an Invoke to the service that owns the function.
      endpoints: { dynamodb: endpoints.dynamodb, sns: endpoints.sns, sqs: endpoints.sqs, stepFunctions: endpoints.stepFunctions, lambda: endpoints.admin },
      hasHttp: hasHttpRoutes(this.stacks[SERVICE_NAMES.indexOf(service)]!.template),
      dataDir: config.dataDir,
      logFile,
      echo: this.echo(service),
      onSpawn: (child) => this.adopt(`${service} (serverless offline)`, child, 'serverless'),
    }).catch((error: unknown) => {
      throw error instanceof StackStartError ? error : new ComponentStartError(`${service} (serverless offline)`, String(error), logFile);
    });
    if (!this.offline.has(service)) this.started.push({ name: `${service} (serverless offline)`, stop: async () => this.offline.get(service)?.stop() });
    this.offline.set(service, offline);
    this.restarters.set(`${service} (serverless offline)`, () => this.startService(service, endpoints));
    this.logger.ready(`${service} service`, `${offline.httpUrl}  lambda ${offline.lambdaUrl}`, startedAt);
    return offline;
  }

  /** The saga inspector's web page (`npm run saga -- web`), on this stack's Step Functions and order API. */
  private async startInspector(endpoints: StackEndpoints): Promise<void> {
    const startedAt = Date.now();
    const { config, logger } = this;
    const web = await startInspectorWeb({
      endpoint: endpoints.stepFunctions,
      orderApi: endpoints.orderApi,
      // The order record beside each execution: GET /orders/{id} with an operator token of the dev issuer.
      devIssuerDir: path.join(config.dataDir, 'auth'),
      // What "Replay locally" seeds: the order row in DynamoDB, stock through the inventory API.
      localStack: { dynamodb: endpoints.dynamodb, inventoryApi: endpoints.inventoryApi },
      region: config.region,
      stage: config.stage,
      port: config.ports.inspector,
      log: (line) => logger.warn(line),
    });
    this.started.push({ name: 'saga inspector', stop: () => web.close() });
    logger.ready('saga inspector', web.url, startedAt);
  }

  private async startStepFunctions(lambdaEndpoints: Record<string, string>): Promise<void> {
    const startedAt = Date.now();
    const { config, logger } = this;
    const sfn = await startStepFunctions({
      port: config.ports.stepFunctions,
      host: config.host,
      region: config.region,
      accountId: config.accountId,
      dataDir: path.join(config.dataDir, 'stepfunctions'),
      lambdaEndpoints,
      resumeOnRestart: process.env.LOCAL_SFN_RESUME !== 'false',
      log: (line) => (line.includes('listening on') ? logger.debug(line) : logger.info(line)),
    });
    this.started.push({ name: 'Step Functions', stop: sfn.stop });
    logger.ready('Step Functions', `${sfn.endpoint} (data in ${path.relative(this.config.rootDir, path.join(this.config.dataDir, 'stepfunctions'))})`, startedAt);
  }
}

/** Like Promise.all, but waits for every promise to settle first, so nothing is left starting. */
async function settleAll<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) throw failure.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

function summarize(types: string[]): string {
  const counts = new Map<string, number>();
  for (const type of types) {
    const short = type.replace(/^AWS::/, '').replace('::', ' ');
    counts.set(short, (counts.get(short) ?? 0) + 1);
  }
  return [...counts].map(([type, count]) => `${count} ${type}`).join(', ') || 'nothing to create';
}

function describeSources(pollers: number, schedules: number): string {
  return `${pollers} event source mapping${pollers === 1 ? '' : 's'}, ${schedules} schedule${schedules === 1 ? '' : 's'}`;
}

