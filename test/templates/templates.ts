import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadTemplate as readTemplate, type CfnResource, type CfnTemplate } from '../../tools/local-stack/src/provision/template';

// One CloudFormation template type and one reader for the whole repository: the local stack's,
// which provisions from these same packaged templates.
export type { CfnResource, CfnTemplate };

export const ROOT = path.resolve(__dirname, '../..');
/** The four services: functions, tables, an HTTP API each. */
export const SERVICES = ['order', 'inventory', 'payment', 'notification'] as const;
export type ServiceName = (typeof SERVICES)[number];
/** Every stack that deploys: the platform (what the services share, no functions) and the services. */
export const STACKS = ['platform', ...SERVICES] as const;
export type StackName = (typeof STACKS)[number];
/**
 * Every stage the project defines (shared/serverless/params.yml): the local stack's and the two
 * AWS stages, whose templates differ in recovery, protection, retention, authorizer and log levels.
 */
export const STAGES = ['local', 'dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];
/** Every stack of every stage, as [stage, stack] pairs for test.each. */
export const STAGE_STACKS = STAGES.flatMap((stage) => STACKS.map((stack) => [stage, stack] as const));

/**
 * The account id of offline packaging: `${aws:accountId}` would ask AWS, so the templates are
 * packaged with `--param="accountId=..."` (the value the local emulators use).
 */
export const OFFLINE_ACCOUNT_ID = '123456789012';

/**
 * Where the tests package each stage (git-ignored): one folder per stage and stack, so stages do
 * not overwrite each other, and nothing lands in services/<name>/.serverless/ (a developer's own
 * package, or one the local stack's copies make).
 */
export const PACKAGED_DIR = path.join(ROOT, '.packaged');

export function packageDir(service: StackName, stage: Stage = 'local'): string {
  return path.join(PACKAGED_DIR, stage, service);
}

export function templatePath(service: StackName, stage: Stage = 'local'): string {
  return path.join(packageDir(service, stage), 'cloudformation-template-update-stack.json');
}

/** A stack's packaged template (the templates project's global setup packages every stack of every stage first). */
export function loadTemplate(service: StackName, stage: Stage = 'local'): CfnTemplate {
  return readTemplate(templatePath(service, stage));
}

/** Every stack's template of one stage. */
export function loadStageTemplates(stage: Stage): Record<StackName, CfnTemplate> {
  return Object.fromEntries(STACKS.map((s) => [s, loadTemplate(s, stage)])) as Record<StackName, CfnTemplate>;
}

export function resourcesOfType(template: CfnTemplate, type: string): Array<[string, CfnResource]> {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

/** An environment with every AWS credential source removed: packaging must not need an account. */
export function credentialFreeEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE|WEB_IDENTITY_TOKEN_FILE|ROLE_ARN|CONTAINER_CREDENTIALS_\w+)$/.test(key)) {
      delete env[key];
    }
  }
  env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/credentials';
  env.AWS_CONFIG_FILE = '/nonexistent/config';
  env.AWS_EC2_METADATA_DISABLED = 'true';
  // Empty, not absent: no credential chain can find any other pair.
  env.AWS_ACCESS_KEY_ID = '';
  env.AWS_SECRET_ACCESS_KEY = '';
  return env;
}

const run = promisify(execFile);

/**
 * `serverless package` in one service folder, as a developer packages a stage offline (README,
 * Deploy): `--param="accountId=..."` instead of credentials, into its own folder (`--package`).
 */
export async function packageService(service: StackName, stage: Stage = 'local'): Promise<void> {
  const bin = path.join(ROOT, 'node_modules', '.bin', 'serverless');
  try {
    await run(bin, ['package', '--stage', stage, '--package', packageDir(service, stage), `--param=accountId=${OFFLINE_ACCOUNT_ID}`], {
      cwd: path.join(ROOT, 'services', service),
      env: credentialFreeEnv(),
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`serverless package --stage ${stage} failed in services/${service}:\n${e.stdout ?? ''}\n${e.stderr ?? ''}\n${e.message}`);
  }
}

/** Walks any JSON value and yields every IAM policy statement found in it. */
export function* policyStatements(value: unknown): Generator<Record<string, unknown>> {
  if (Array.isArray(value)) {
    for (const item of value) yield* policyStatements(item);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  if ('Effect' in record && ('Action' in record || 'NotAction' in record)) {
    yield record;
    return;
  }
  for (const child of Object.values(record)) yield* policyStatements(child);
}

/**
 * The state machine definition of a packaged template. serverless-step-functions emits it as a
 * string or as Fn::Sub [string, vars]; placeholders are replaced by their variable names, which is
 * enough to read the graph.
 */
export function stateMachineDefinition(resource: CfnResource): { StartAt: string; States: Record<string, Record<string, unknown>> } {
  const raw = resource.Properties?.DefinitionString as unknown;
  let text: string;
  if (typeof raw === 'string') text = raw;
  else if (raw && typeof raw === 'object' && 'Fn::Sub' in raw) {
    const sub = (raw as { 'Fn::Sub': unknown })['Fn::Sub'];
    text = Array.isArray(sub) ? String(sub[0]) : String(sub);
  } else if (raw && typeof raw === 'object' && 'Fn::Join' in raw) {
    const [sep, parts] = (raw as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
    text = parts.map((p) => (typeof p === 'string' ? p : 'RESOLVED')).join(sep);
  } else {
    throw new Error(`Unexpected DefinitionString shape: ${JSON.stringify(raw).slice(0, 200)}`);
  }
  return JSON.parse(text.replace(/\$\{([^}]+)\}/g, '$1'));
}
