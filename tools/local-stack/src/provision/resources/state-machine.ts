import {
  CreateStateMachineCommand,
  ListStateMachinesCommand,
  UpdateStateMachineCommand,
  type SFNClient,
  type StateMachineType,
} from '@aws-sdk/client-sfn';
import { requireString } from './properties';

export interface StateMachineOutcome {
  name: string;
  arn: string;
  action: 'created' | 'updated';
}

/** The definition text: DefinitionString or Definition, with DefinitionSubstitutions applied. */
export function definitionText(props: Record<string, unknown>): string {
  const raw = props.DefinitionString ?? props.Definition;
  let text = typeof raw === 'string' ? raw : raw !== undefined ? JSON.stringify(raw) : undefined;
  if (text === undefined) throw new Error('property DefinitionString (or Definition) is missing');
  const substitutions = (props.DefinitionSubstitutions ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(substitutions)) text = text.split(`\${${key}}`).join(String(value));
  return text;
}

/** Create, or Update when a machine of that name exists (its executions are kept). */
export async function ensureStateMachine(client: SFNClient, props: Record<string, unknown>): Promise<StateMachineOutcome> {
  const name = requireString(props, 'StateMachineName');
  const definition = definitionText(props);
  const roleArn = typeof props.RoleArn === 'string' ? props.RoleArn : `arn:aws:iam::000000000000:role/${name}-local`;
  const existing = await findStateMachine(client, name);
  if (existing) {
    await client.send(new UpdateStateMachineCommand({ stateMachineArn: existing, definition, roleArn }));
    return { name, arn: existing, action: 'updated' };
  }
  const created = await client.send(
    new CreateStateMachineCommand({
      name,
      definition,
      roleArn,
      type: ((props.StateMachineType as string | undefined) ?? 'STANDARD') as StateMachineType,
    }),
  );
  return { name, arn: created.stateMachineArn!, action: 'created' };
}

async function findStateMachine(client: SFNClient, name: string): Promise<string | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListStateMachinesCommand({ nextToken }));
    const match = page.stateMachines?.find((machine) => machine.name === name);
    if (match?.stateMachineArn) return match.stateMachineArn;
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}
