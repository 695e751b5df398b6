import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Loads the order service's packaged CloudFormation template (what `serverless package` writes
 * to .serverless/), packaging first when it is missing, older than what it is packaged from
 * (serverless.yml, saga.asl.yml, resources/, the shared includes), or not for the local stage. Tests of the saga read the definition from here:
 * it is the exact document that deploys, after variable resolution and the step functions plugin.
 */

export const SERVICE_DIR = path.resolve(__dirname, '../..');
export const TEMPLATE_PATH = path.join(SERVICE_DIR, '.serverless', 'cloudformation-template-update-stack.json');
export const SAGA_LOGICAL_ID = 'OrderSaga';
const filesOf = (dir: string) => readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => path.join(dir, entry.name));
const SOURCES = [
  ...['serverless.yml', 'saga.asl.yml'].map((file) => path.join(SERVICE_DIR, file)),
  ...filesOf(path.join(SERVICE_DIR, 'resources')),
  ...filesOf(path.join(SERVICE_DIR, '..', '..', 'shared', 'serverless')),
];
const STAGE = 'local';

export interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
  [key: string]: unknown;
}
export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, unknown>;
}

function isCurrent(): boolean {
  if (!existsSync(TEMPLATE_PATH)) return false;
  const packagedAt = statSync(TEMPLATE_PATH).mtimeMs;
  if (SOURCES.some((source) => statSync(source).mtimeMs > packagedAt)) return false;
  const template = JSON.parse(readFileSync(TEMPLATE_PATH, 'utf8')) as CfnTemplate;
  return template.Resources[SAGA_LOGICAL_ID]?.Properties.StateMachineName === `order-${STAGE}-saga`;
}

/** Runs `serverless package` for the local stage, without AWS credentials (as CI would). */
export function packageService(): void {
  const cli = require.resolve('serverless/bin/serverless.js');
  execFileSync(process.execPath, [cli, 'package', '--stage', STAGE], {
    cwd: SERVICE_DIR,
    env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '', AWS_PROFILE: '' },
    stdio: 'pipe',
    timeout: 300_000,
  });
}

export function packagedTemplate(): CfnTemplate {
  if (!isCurrent()) packageService();
  return JSON.parse(readFileSync(TEMPLATE_PATH, 'utf8')) as CfnTemplate;
}

/** The saga's ASL definition as deployed (a plain JSON string: every ARN is resolved at package time). */
export function sagaDefinitionFrom(template: CfnTemplate): AslDefinition {
  const definition = template.Resources[SAGA_LOGICAL_ID]?.Properties.DefinitionString;
  if (typeof definition !== 'string') {
    throw new Error(`${SAGA_LOGICAL_ID}.DefinitionString is not a plain string: ${JSON.stringify(definition)?.slice(0, 200)}`);
  }
  return JSON.parse(definition) as AslDefinition;
}

export function loadSagaDefinition(): AslDefinition {
  return sagaDefinitionFrom(packagedTemplate());
}

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}
export interface Catcher {
  ErrorEquals: string[];
  ResultPath?: string | null;
  Next: string;
}
export interface AslState {
  QueryLanguage?: 'JSONPath' | 'JSONata';
  Type: 'Task' | 'Succeed' | 'Fail' | 'Pass' | 'Choice' | 'Wait' | 'Parallel' | 'Map';
  Comment?: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  ResultPath?: string | null;
  OutputPath?: string;
  TimeoutSeconds?: number;
  Retry?: Retrier[];
  Catch?: Catcher[];
  Next?: string;
  End?: boolean;
  Error?: string;
  Cause?: string;
}
export interface AslDefinition {
  Comment?: string;
  QueryLanguage?: 'JSONPath' | 'JSONata';
  StartAt: string;
  TimeoutSeconds?: number;
  States: Record<string, AslState>;
}
