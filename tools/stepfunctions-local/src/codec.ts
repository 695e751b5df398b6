import { decodeEvent, encodeEvent, type EncodedEvent } from './history';
import type { Execution, ExecutionStatus, Machine } from './service';

/** What the data folder holds: machines and definitions (meta.json), executions (segments). */
export interface PersistedMeta {
  version: 1;
  machines: Omit<Machine, 'executions' | 'closedCount' | 'nextSeq'>[];
  definitions: Record<string, string>;
}

export interface PersistedExecution {
  arn: string;
  machineId: string;
  name: string;
  seq: number;
  definitionHash: string;
  roleArn: string;
  input: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  redriveCount: number;
  redriveDate?: number;
  redriveToken?: string;
  events: EncodedEvent[];
}

export function encodeExecution(e: Execution): PersistedExecution {
  return {
    arn: e.arn,
    machineId: e.machine.id,
    name: e.name,
    seq: e.seq,
    definitionHash: e.definitionHash,
    roleArn: e.roleArn,
    input: e.input,
    status: e.status,
    startDate: e.startDate,
    stopDate: e.stopDate,
    output: e.output,
    error: e.error,
    cause: e.cause,
    redriveCount: e.redriveCount,
    redriveDate: e.redriveDate,
    redriveToken: e.redriveToken,
    events: e.events.map(encodeEvent),
  };
}

export function decodeExecution(row: PersistedExecution, machine: Machine): Execution {
  return {
    arn: row.arn,
    name: row.name,
    machine,
    seq: row.seq,
    definitionHash: row.definitionHash,
    roleArn: row.roleArn,
    input: row.input,
    status: row.status,
    startDate: row.startDate,
    stopDate: row.stopDate,
    output: row.output,
    error: row.error,
    cause: row.cause,
    redriveCount: row.redriveCount,
    redriveDate: row.redriveDate,
    redriveToken: row.redriveToken,
    events: row.events.map(decodeEvent),
    run: undefined,
    recorder: undefined,
  };
}
