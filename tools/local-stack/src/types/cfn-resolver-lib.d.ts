declare module 'cfn-resolver-lib' {
  /** Parameters of one evaluation; see the package README. */
  export interface NodeEvaluatorParams {
    RefResolvers?: Record<string, unknown>;
    'Fn::GetAttResolvers'?: Record<string, Record<string, unknown>>;
    'Fn::ImportValueResolvers'?: Record<string, unknown>;
    ArnSchemas?: Record<string, string>;
  }

  /** Resolves CloudFormation intrinsic functions in a template with the given values. */
  export default class NodeEvaluator {
    constructor(template: unknown, params?: NodeEvaluatorParams, enableVerboseLogging?: boolean);
    evaluateNodes(overrideParams?: NodeEvaluatorParams): Record<string, unknown>;
  }
}
