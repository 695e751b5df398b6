/**
 * The one place that says where an IAM statement of this project may use `Resource: '*'`: only
 * for actions AWS does not authorise per resource. security.test.ts fails on any other `*`
 * resource, and on any `*` in an action. docs/security.md repeats this list for readers.
 *
 * A statement may name `*` only when every one of its actions is in one entry below.
 */
export interface WildcardResourceGrant {
  /** What the actions serve and who holds them. */
  purpose: string;
  /** Why `*`: the AWS documentation's reason. */
  reason: string;
  actions: readonly string[];
}

export const WILDCARD_RESOURCE_ALLOW_LIST: readonly WildcardResourceGrant[] = [
  {
    purpose: 'X-Ray tracing: every function role (tracing.lambda) and the saga role (tracingConfig)',
    reason: 'X-Ray actions do not support resource-level permissions',
    actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
  },
  {
    purpose: "Step Functions execution logs: the saga role's CloudWatch Logs delivery (loggingConfig)",
    reason: 'CloudWatch Logs vended-log delivery actions do not support resource-level permissions (Step Functions developer guide, logging IAM policy)',
    actions: [
      'logs:CreateLogDelivery',
      'logs:GetLogDelivery',
      'logs:UpdateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:DescribeResourcePolicies',
      'logs:DescribeLogGroups',
    ],
  },
];

/**
 * Resources with a `*` inside that are still one resource's: a function's own log group, whose
 * streams are named at run time (`...:log-group:/aws/lambda/<function>:*` or `:*:*`).
 */
export const NARROW_WILDCARD_RESOURCES: readonly RegExp[] = [/:log-group:\/aws\/lambda\/[A-Za-z0-9_-]+:\*(:\*)?$/];

/**
 * Resource-based policies: a KMS key policy always names `Resource: '*'`, which there means
 * "this key" (AWS KMS developer guide, key policies). No other resource policy may use `*`.
 */
export const KEY_POLICY_RESOURCE = '*';
