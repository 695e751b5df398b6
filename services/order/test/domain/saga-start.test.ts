import { parseWorkflowType, sagaStartPolicy } from '../../src/domain/saga-start';

test('STANDARD deduplicates by name: every path may start the saga', () => {
  expect(sagaStartPolicy('STANDARD')).toEqual({ onCreate: true, onReplay: true, onInsert: true });
});

test('EXPRESS does not deduplicate: only the stream starts it, once', () => {
  expect(sagaStartPolicy('EXPRESS')).toEqual({ onCreate: false, onReplay: false, onInsert: true });
});

test.each([
  [undefined, 'STANDARD'],
  ['', 'STANDARD'],
  ['STANDARD', 'STANDARD'],
  ['EXPRESS', 'EXPRESS'],
] as const)('SAGA_WORKFLOW_TYPE %p is %s', (value, type) => {
  expect(parseWorkflowType(value)).toBe(type);
});

test('an unknown workflow type is a deployment error', () => {
  expect(() => parseWorkflowType('express')).toThrow(/STANDARD or EXPRESS/);
});
