import { judgeBatch } from '../src/pollers/batch-response';

const ids = ['m1', 'm2', 'm3'];

describe('judgeBatch (Lambda event source mapping rules for a batch response)', () => {
  it('fails the whole batch on a function error, whatever the payload', () => {
    const verdict = judgeBatch({ functionError: 'Unhandled', payload: { errorType: 'Boom', errorMessage: 'no' } }, ids, true);
    expect(verdict).toEqual({ kind: 'failed', reason: 'Unhandled: Boom: no' });
  });

  it('ignores the response without ReportBatchItemFailures', () => {
    expect(judgeBatch({ payload: { batchItemFailures: [{ itemIdentifier: 'm2' }] } }, ids, false)).toEqual({ kind: 'succeeded' });
  });

  it.each([null, undefined, '', {}, { batchItemFailures: null }, { batchItemFailures: [] }])('succeeds every record for the response %p', (payload) => {
    expect(judgeBatch({ payload }, ids, true)).toEqual({ kind: 'succeeded' });
  });

  it('fails only the listed records', () => {
    const verdict = judgeBatch({ payload: { batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }] } }, ids, true);
    expect(verdict).toEqual({ kind: 'partial', failedIds: new Set(['m2', 'm3']) });
  });

  it.each([[{ itemIdentifier: '' }], [{ itemIdentifier: null }], [{ itemIdentifier: 'not-in-batch' }], [{ wrongKey: 'm1' }], [null]])(
    'fails the whole batch for the invalid failure entry %p',
    (entry) => {
      expect(judgeBatch({ payload: { batchItemFailures: [entry] } }, ids, true).kind).toBe('failed');
    },
  );

  it('fails the whole batch when batchItemFailures is not a list or the payload not an object', () => {
    expect(judgeBatch({ payload: { batchItemFailures: 'm1' } }, ids, true).kind).toBe('failed');
    expect(judgeBatch({ payload: 42 }, ids, true).kind).toBe('failed');
  });
});
