import { renderEvent } from '../history-render';
import { decodeToken, encodeToken } from '../paging';
import { optionalBoolean, optionalString, pageSize, requiredString } from '../validate';
import { requireExecution, type Action } from './common';

/** Events are append-only, so the token is simply the next event id in the requested direction. */
export const getExecutionHistory: Action = (service, body) => {
  const execution = requireExecution(service, requiredString(body, 'executionArn'));
  const max = pageSize(body);
  const reverse = optionalBoolean(body, 'reverseOrder') ?? false;
  const includeData = optionalBoolean(body, 'includeExecutionData') ?? true;
  const token = optionalString(body, 'nextToken', 4096);
  const kind = reverse ? 'history-desc' : 'history-asc';
  const events = execution.events;
  let id = token === undefined ? (reverse ? events.length : 1) : Number(decodeToken(token, kind, execution.arn, 1024));
  const options = { includeData, region: service.scope.region, roleArn: execution.roleArn };
  const page: object[] = [];
  const step = reverse ? -1 : 1;
  for (; id >= 1 && id <= events.length && page.length < max; id += step) {
    const event = events[id - 1];
    if (event) page.push(renderEvent(event, id, options));
  }
  const more = id >= 1 && id <= events.length;
  return { events: page, ...(more && { nextToken: encodeToken(kind, execution.arn, id) }) };
};
