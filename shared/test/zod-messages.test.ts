import { Money } from '../src/contracts/events';

// zod/mini registers no locale (every issue without its own message would read "Invalid input");
// shared/src/contracts/schema.ts registers English, as zod classic did, so messages are unchanged.
test("zod/mini schemas built through schema() answer with zod's English messages", () => {
  expect(Money.safeParse({ amount: 1.5, currency: 'eur' }).error?.issues.map((issue) => issue.message)).toEqual([
    'Invalid input: expected int, received number',
    'Invalid string: must match pattern /^[A-Z]{3}$/',
  ]);
  expect(Money.safeParse([]).error?.issues.map((issue) => issue.message)).toEqual(['Invalid input: expected object, received array']);
});
