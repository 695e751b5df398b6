import { stateMachineDefinition, type CfnTemplate } from './templates';

/**
 * The cfn-lint findings this project accepts, each with its reason. cfn-lint.test.ts lints every
 * packaged template of every stage and fails on any finding no entry below matches: a new
 * warning, or an error, is a failing test until it is fixed or added here with its reason.
 */
export interface CfnLintFinding {
  Rule: { Id: string };
  Level: string;
  Message: string;
  Filename: string;
  Location: { Path: Array<string | number> };
}

export interface AcceptedFinding {
  rule: string;
  /** Why the finding is accepted rather than fixed. */
  reason: string;
  /** Whether a finding is this accepted one (its template at hand). */
  matches: (finding: CfnLintFinding, template: CfnTemplate) => boolean;
}

/** `Resources/<id>/DependsOn...` of a finding, and the resource it names as already depended on. */
function dependsOn(finding: CfnLintFinding): { id: string; on: string } | undefined {
  const [section, id, key] = finding.Location.Path;
  const on = /^'([A-Za-z0-9]+)' dependency already enforced/.exec(finding.Message)?.[1];
  return section === 'Resources' && key === 'DependsOn' && on ? { id: String(id), on } : undefined;
}

export const CFN_LINT_ALLOW_LIST: readonly AcceptedFinding[] = [
  {
    rule: 'W3005',
    reason:
      "serverless-iam-roles-per-function makes each function depend on its own role (<Fn>IamRoleLambdaExecution) as well as reading the role's Arn: redundant, harmless, and generated (not in this project's YAML)",
    matches: (finding) => {
      const d = dependsOn(finding);
      return d !== undefined && /^[A-Za-z0-9]+LambdaFunction$/.test(d.id) && d.on === d.id.replace(/LambdaFunction$/, 'IamRoleLambdaExecution');
    },
  },
  {
    rule: 'W3005',
    reason: "the framework's HTTP API compiler makes each route depend on its integration as well as referencing it in Target: redundant, harmless, and generated",
    matches: (finding) => {
      const d = dependsOn(finding);
      return d !== undefined && d.id.startsWith('HttpApiRoute') && d.on.startsWith('HttpApiIntegration');
    },
  },
  {
    rule: 'E3601',
    reason:
      "a false positive: AWS accepts QueryLanguage in every state type (the saga sets it per state: the local engine ignores JSONata); cfn-lint 1.51's Step Functions schema does not list it for Succeed and Fail states",
    matches: (finding, template) => {
      const path = finding.Location.Path;
      const at = path.indexOf('DefinitionString');
      if (path[0] !== 'Resources' || at === -1 || path[at + 1] !== 'States' || path[at + 3] !== 'QueryLanguage' || path.length !== at + 4) return false;
      if (!/'QueryLanguage' was unexpected/.test(finding.Message)) return false;
      const machine = template.Resources[String(path[1])];
      const state = machine && stateMachineDefinition(machine).States[String(path[at + 2])];
      return state?.Type === 'Succeed' || state?.Type === 'Fail';
    },
  },
];
