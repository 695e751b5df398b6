import { itemSize, readUnits, totalUnits, unitsOf, valueSize, writeUnits, type DynamoOperation } from '../src/dynamodb';

describe('DynamoDB capacity arithmetic', () => {
  it('sizes items as DynamoDB does: names and UTF-8 values', () => {
    expect(itemSize({ id: 'abc' })).toBe(2 + 3);
    expect(itemSize({ name: 'é' })).toBe(4 + 2);
    expect(valueSize(true)).toBe(1);
    expect(valueSize(null)).toBe(1);
    // 123 has 3 significant digits: ceil(3/2) + 1 = 3 bytes
    expect(valueSize(123)).toBe(3);
    // map: 3 + (name + value + 1) per entry
    expect(valueSize({ a: 'xy' })).toBe(3 + 1 + 2 + 1);
    expect(valueSize(['a', 'b'])).toBe(3 + 2 + 2);
  });

  it('ignores undefined attributes (lib-dynamodb removes them)', () => {
    expect(itemSize({ id: 'a', gone: undefined })).toBe(3);
  });

  it('charges 1 WRU per KB, twice in a transaction', () => {
    expect(writeUnits(1)).toBe(1);
    expect(writeUnits(1024)).toBe(1);
    expect(writeUnits(1025)).toBe(2);
    expect(writeUnits(500, true)).toBe(2);
  });

  it('charges reads per 4 KB: half when eventually consistent, double in a transaction', () => {
    expect(readUnits(100, 'strong')).toBe(1);
    expect(readUnits(100, 'eventual')).toBe(0.5);
    expect(readUnits(5000, 'strong')).toBe(2);
    expect(readUnits(100, 'transactional')).toBe(2);
  });

  it('bills an update on the larger of the item before and after', () => {
    const op: DynamoOperation = { table: 't', action: 'UpdateItem', kind: 'write', item: 'after', itemBefore: 'before', why: '' };
    expect(unitsOf(op, { before: 2000, after: 900 })).toEqual({ wru: 2, rru: 0 });
  });

  it('adds a step up and names an unknown item', () => {
    const ops: DynamoOperation[] = [
      { table: 't', action: 'GetItem', kind: 'read', item: 'a', consistency: 'strong', why: '' },
      { table: 't', action: 'PutItem', kind: 'write', item: 'a', transactional: true, why: '' },
    ];
    expect(totalUnits(ops, { a: 100 })).toEqual({ wru: 2, rru: 1 });
    expect(() => totalUnits(ops, {})).toThrow(/no size for item "a"/);
  });
});
