import { allStates, InvalidDefinitionError, parseDefinition, placementsOf } from '../src/core/definition';
import { definitionOf } from './helpers/fixtures';

describe('parseDefinition', () => {
  const saga = parseDefinition(definitionOf('saga-succeeded'));

  it('reads every state of the saga with its type and end flag', () => {
    expect(saga.startAt).toBe('ReserveInventory');
    expect(saga.states).toHaveLength(13);
    expect(saga.states.find((s) => s.name === 'OrderFailed')).toMatchObject({ type: 'Fail', end: true });
    expect(saga.states.find((s) => s.name === 'ShipOrder')).toMatchObject({ type: 'Task', end: false, resource: expect.stringContaining(':function:inventory-local-ship') });
  });

  it('turns Next and Catch into edges, with the caught errors as labels', () => {
    const fromReserve = saga.edges.filter((e) => e.from === 'ReserveInventory');
    expect(fromReserve).toEqual([
      { from: 'ReserveInventory', to: 'ProcessPayment', kind: 'next' },
      { from: 'ReserveInventory', to: 'MarkOrderFailed', kind: 'catch', label: 'OutOfStock' },
      { from: 'ReserveInventory', to: 'ReleaseInventoryAfterReserveFailed', kind: 'catch', label: 'States.ALL' },
    ]);
  });

  it('turns Choices and Default into edges with readable labels', () => {
    const nested = parseDefinition(definitionOf('nested-succeeded'));
    const map = nested.states.find((s) => s.name === 'EachItem')!;
    expect(map.children[0]!.edges.filter((e) => e.from === 'Check')).toEqual([
      { from: 'Check', to: 'Big', kind: 'choice', label: '$ NumericGreaterThan 2' },
      { from: 'Check', to: 'Small', kind: 'default', label: 'default' },
    ]);
  });

  it('nests Parallel branches and Map processors, and places their states', () => {
    const nested = parseDefinition(definitionOf('nested-succeeded'));
    expect(nested.states.find((s) => s.name === 'Fanout')!.children.map((b) => b.startAt)).toEqual(['BranchA1', 'BranchB1']);
    expect(allStates(nested).map((s) => s.name)).toContain('Small');
    expect(placementsOf(nested).get('BranchB1')).toEqual({ parent: 'Fanout', branch: 1 });
    expect(placementsOf(nested).get('Double')).toEqual({ parent: 'EachItem', branch: 0 });
    expect(placementsOf(nested).has('Prepare')).toBe(false);
  });

  it('rejects what is not a JSON object', () => {
    expect(() => parseDefinition('{')).toThrow(InvalidDefinitionError);
    expect(() => parseDefinition('[1]')).toThrow(InvalidDefinitionError);
  });
});
