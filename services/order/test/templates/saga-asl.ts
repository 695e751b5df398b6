import type { CfnTemplate } from '../../../../test/templates/templates';

/**
 * The saga as the order service's packaged CloudFormation template holds it (what `serverless
 * package` writes; the templates project's global setup packages every stack of every stage into
 * .packaged/<stage>/<stack>/ first). Tests of the saga read the definition from there: it is the exact document that deploys,
 * after variable resolution and the step functions plugin.
 */

export const SAGA_LOGICAL_ID = 'OrderSaga';

/** The saga's ASL definition as deployed (a plain JSON string: every ARN is resolved at package time). */
export function sagaDefinitionFrom(template: CfnTemplate): AslDefinition {
  const definition = template.Resources[SAGA_LOGICAL_ID]?.Properties?.DefinitionString;
  if (typeof definition !== 'string') {
    throw new Error(`${SAGA_LOGICAL_ID}.DefinitionString is not a plain string: ${JSON.stringify(definition)?.slice(0, 200)}`);
  }
  return JSON.parse(definition) as AslDefinition;
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
