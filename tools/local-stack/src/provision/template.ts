import { readFileSync } from 'node:fs';
import NodeEvaluator from 'cfn-resolver-lib';

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  Condition?: string;
}

export interface CfnTemplate {
  Parameters?: Record<string, { Default?: unknown }>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, unknown>;
}

/** A template and the stack it deploys as (`<service>-<stage>`, as osls names it). */
export interface StackTemplate {
  stackName: string;
  template: CfnTemplate;
}

export function loadTemplate(file: string): CfnTemplate {
  const template = JSON.parse(readFileSync(file, 'utf8')) as CfnTemplate;
  if (!template || typeof template.Resources !== 'object') throw new Error(`${file} is not a CloudFormation template (no Resources)`);
  return template;
}

export interface ResolveValues {
  region: string;
  accountId: string;
  stackName: string;
  /** Ref value per logical id (and per parameter name). */
  refs?: Record<string, string>;
  /** Fn::GetAtt values per logical id and attribute. */
  attributes?: Record<string, Record<string, string>>;
}

/**
 * Resolves Ref, Fn::GetAtt, Fn::Sub, Fn::Join and the pseudo parameters with cfn-resolver-lib,
 * given the physical names and ARNs of the resources. What cannot be resolved stays as the
 * intrinsic object, which the provisioners reject by name. The library warns on the console for
 * every attribute it was not told; those warnings are returned instead.
 */
export function resolveTemplate(template: CfnTemplate, values: ResolveValues): { template: CfnTemplate; warnings: string[] } {
  const refs: Record<string, unknown> = {
    'AWS::Region': values.region,
    'AWS::AccountId': values.accountId,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': values.stackName,
    'AWS::StackId': `arn:aws:cloudformation:${values.region}:${values.accountId}:stack/${values.stackName}/local`,
    ...values.refs,
  };
  // Fn::Sub looks `${Logical.Attribute}` up among the refs: add every attribute under that key.
  for (const [logicalId, attributes] of Object.entries(values.attributes ?? {})) {
    for (const [name, value] of Object.entries(attributes)) refs[`${logicalId}.${name}`] = value;
  }
  const warnings: string[] = [];
  const originalWarn = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
  try {
    // The library reads Parameters unconditionally.
    const input = protectSingleKeyArrays({ ...template, Parameters: template.Parameters ?? {} });
    const resolved = new NodeEvaluator(input, {
      RefResolvers: refs,
      'Fn::GetAttResolvers': values.attributes ?? {},
    }).evaluateNodes();
    return { template: unprotect(resolved) as CfnTemplate, warnings };
  } finally {
    console.warn = originalWarn;
  }
}

const KEEP = '__local-stack:keep-object__';
const isIntrinsicKey = (key: string) => key === 'Ref' || key === 'Condition' || key.startsWith('Fn::');

/**
 * cfn-resolver-lib replaces any one-key object whose value is a list with the list itself (the
 * shape of Fn::Join and friends), which turns a filter policy `{"eventType": [...]}` into
 * `[...]`. A marker key gives such objects a second key for the resolver's eyes only.
 */
export function protectSingleKeyArrays<T>(value: T): T;
export function protectSingleKeyArrays(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(protectSingleKeyArrays);
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value).map(([key, child]) => [key, protectSingleKeyArrays(child)] as const);
  const result: Record<string, unknown> = Object.fromEntries(entries);
  if (entries.length === 1 && Array.isArray(entries[0]![1]) && !isIntrinsicKey(entries[0]![0])) result[KEEP] = true;
  return result;
}

function unprotect(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unprotect);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== KEEP).map(([key, child]) => [key, unprotect(child)]));
}

/** True when a value still holds an intrinsic function the resolver could not evaluate. */
export function unresolvedIntrinsic(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = unresolvedIntrinsic(item);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'))) return JSON.stringify(value);
    for (const child of Object.values(value)) {
      const found = unresolvedIntrinsic(child);
      if (found) return found;
    }
  }
  return undefined;
}
