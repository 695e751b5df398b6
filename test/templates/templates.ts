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

export function templatePath(service: StackName): string {
  return path.join(ROOT, 'services', service, '.serverless', 'cloudformation-template-update-stack.json');
}

/** A stack's packaged template (the templates project's global setup packages every stack first). */
export function loadTemplate(service: StackName): CfnTemplate {
  return readTemplate(templatePath(service));
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
  return env;
}

const run = promisify(execFile);

/** Where the global setup packages a stack for the `dev` stage (outside its `.serverless`, which holds `local`'s). */
export function devTemplatePath(service: StackName): string {
  return path.join(ROOT, '.local', 'templates-dev', service, 'cloudformation-template-update-stack.json');
}

/** The account id that packaging an AWS stage without credentials needs (`--param accountId=...`). */
export const PACKAGING_ACCOUNT_ID = '123456789012';

/**
 * `serverless package` in one service folder, exactly as a developer runs it; an AWS stage with
 * a fixed account id, into `outDir` when given. Packaging clears the service's `.serverless`, so
 * packaging never runs while tests read templates.
 */
export async function packageService(service: StackName, stage = 'local', outDir?: string): Promise<void> {
  const bin = path.join(ROOT, 'node_modules', '.bin', 'serverless');
  const args = ['package', '--stage', stage, ...(stage === 'local' ? [] : [`--param=accountId=${PACKAGING_ACCOUNT_ID}`]), ...(outDir ? ['--package', outDir] : [])];
  try {
    await run(bin, args, {
      cwd: path.join(ROOT, 'services', service),
      env: credentialFreeEnv(),
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`serverless package failed in services/${service}:\n${e.stdout ?? ''}\n${e.stderr ?? ''}\n${e.message}`);
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
