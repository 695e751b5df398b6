import fc from 'fast-check';
import { compensationRule } from '../src/core/compensation';
import { parseDefinition } from '../src/core/definition';
import { END_ID, type GraphLayout, type LayoutNode, layoutGraph, type Point, START_ID } from '../src/core/layout';
import { definitionOf } from './helpers/fixtures';

const overlap = (a: LayoutNode, b: LayoutNode) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Does segment p-q enter the inside of the node (1 px margin)? */
function segmentHits(p: Point, q: Point, n: LayoutNode): boolean {
  const [x1, y1, x2, y2] = [n.x + 1, n.y + 1, n.x + n.width - 1, n.y + n.height - 1];
  for (let i = 0; i <= 50; i += 1) {
    const x = p.x + ((q.x - p.x) * i) / 50;
    const y = p.y + ((q.y - p.y) * i) / 50;
    if (x > x1 && x < x2 && y > y1 && y < y2) return true;
  }
  return false;
}

function checkLayout(layout: GraphLayout) {
  const byId = new Map(layout.nodes.map((n) => [n.id, n]));
  // Same scope: no two boxes overlap.
  for (const a of layout.nodes) {
    for (const b of layout.nodes) {
      if (a !== b && a.parent === b.parent) expect(overlap(a, b)).toBe(false);
    }
    // Nested states sit inside their box.
    if (a.parent) {
      const box = byId.get(a.parent)!;
      expect(a.x).toBeGreaterThanOrEqual(box.x);
      expect(a.x + a.width).toBeLessThanOrEqual(box.x + box.width);
      expect(a.y).toBeGreaterThanOrEqual(box.y);
      expect(a.y + a.height).toBeLessThanOrEqual(box.y + box.height);
    }
    expect(a.x + a.width).toBeLessThanOrEqual(layout.width);
    expect(a.y + a.height).toBeLessThanOrEqual(layout.height);
  }
  for (const edge of layout.edges) {
    const from = byId.get(edge.from)!;
    const to = byId.get(edge.to)!;
    expect(edge.points.length).toBeGreaterThanOrEqual(2);
    if (edge.back) continue;
    // Forward edges leave the bottom of their source, enter the top of their target, and go down.
    expect(edge.points[0]).toEqual({ x: from.x + from.width / 2, y: from.y + from.height });
    expect(edge.points.at(-1)).toEqual({ x: to.x + to.width / 2, y: to.y });
    const ys = edge.points.map((p) => p.y);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
    // ... and never cross another state of their scope.
    const others = layout.nodes.filter((n) => n !== from && n !== to && n.parent === from.parent && !n.compound);
    for (let i = 1; i < edge.points.length; i += 1) {
      for (const n of others) expect(segmentHits(edge.points[i - 1]!, edge.points[i]!, n)).toBe(false);
    }
  }
}

describe('layoutGraph', () => {
  const saga = layoutGraph(parseDefinition(definitionOf('saga-succeeded')), compensationRule());
  const node = (id: string) => saga.nodes.find((n) => n.id === id)!;
  const centre = (id: string) => node(id).x + node(id).width / 2;

  it('lays the saga out without overlaps, with edges going down around the states', () => {
    checkLayout(saga);
  });

  it('keeps the happy path in one straight column, Start on top and End at the bottom', () => {
    const column = ['ReserveInventory', 'ProcessPayment', 'ShipOrder', 'ConfirmOrder'].map(centre);
    expect(new Set(column).size).toBe(1);
    expect(node(START_ID).y).toBeLessThan(node('ReserveInventory').y);
    expect(Math.max(...saga.nodes.filter((n) => n.id !== END_ID).map((n) => n.y + n.height))).toBeLessThan(node(END_ID).y);
  });

  it('puts each compensation below the step that triggers it', () => {
    expect(node('RefundPaymentAfterShippingFailed').y).toBeGreaterThan(node('ShipOrder').y);
    expect(node('ReleaseInventoryAfterShippingFailed').y).toBeGreaterThan(node('RefundPaymentAfterShippingFailed').y);
    expect(node('MarkOrderFailed').y).toBeGreaterThan(node('ReleaseInventoryAfterShippingFailed').y);
    expect(saga.nodes.filter((n) => n.compensation).map((n) => n.id).sort()).toEqual([
      'MarkOrderFailed',
      'RefundPaymentAfterPaymentFailed',
      'RefundPaymentAfterShippingFailed',
      'ReleaseInventoryAfterPaymentDeclined',
      'ReleaseInventoryAfterPaymentFailed',
      'ReleaseInventoryAfterReserveFailed',
      'ReleaseInventoryAfterShippingFailed',
    ]);
  });

  it('is deterministic', () => {
    expect(layoutGraph(parseDefinition(definitionOf('saga-succeeded')), compensationRule())).toEqual(saga);
  });

  it('draws Parallel and Map states as boxes around their states', () => {
    const nested = layoutGraph(parseDefinition(definitionOf('nested-succeeded')));
    checkLayout(nested);
    expect(nested.nodes.filter((n) => n.compound).map((n) => n.id)).toEqual(['Fanout', 'EachItem']);
    expect(nested.nodes.filter((n) => n.parent === 'Fanout').map((n) => n.id).sort()).toEqual(['BranchA1', 'BranchA2', 'BranchB1']);
    // Branches side by side.
    const a1 = nested.nodes.find((n) => n.id === 'BranchA1')!;
    const b1 = nested.nodes.find((n) => n.id === 'BranchB1')!;
    expect(a1.y).toBe(b1.y);
    expect(a1.x + a1.width).toBeLessThan(b1.x);
  });

  it('routes a loop back up along the right side', () => {
    const loop = layoutGraph(
      parseDefinition({
        StartAt: 'Poll',
        States: {
          Poll: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Next: 'Done?' },
          'Done?': { Type: 'Choice', Choices: [{ Variable: '$.done', BooleanEquals: true, Next: 'Finished' }], Default: 'Wait' },
          Wait: { Type: 'Wait', Seconds: 5, Next: 'Poll' },
          Finished: { Type: 'Succeed' },
        },
      }),
    );
    checkLayout(loop);
    const back = loop.edges.filter((e) => e.back);
    expect(back.map((e) => `${e.from}->${e.to}`)).toEqual(['Wait->Poll']);
    const rightmost = Math.max(...loop.nodes.map((n) => n.x + n.width));
    expect(Math.max(...back[0]!.points.map((p) => p.x))).toBeGreaterThan(rightmost);
  });

  it('holds its invariants for any chain-with-catches machine', () => {
    // Random sagas: n steps in a chain, each maybe caught into a compensation chain that joins a final state.
    const machine = fc.record({
      steps: fc.integer({ min: 1, max: 7 }),
      catches: fc.array(fc.tuple(fc.nat(6), fc.nat(6)), { maxLength: 6 }),
    });
    fc.assert(
      fc.property(machine, ({ steps, catches }) => {
        const states: Record<string, Record<string, unknown>> = {};
        for (let i = 0; i < steps; i += 1) states[`Step${i}`] = { Type: 'Task', Resource: 'r', ...(i + 1 < steps ? { Next: `Step${i + 1}` } : { End: true }) };
        states['Undo'] = { Type: 'Pass', Next: 'Failed' };
        states['Failed'] = { Type: 'Fail' };
        for (const [from, to] of catches) {
          const step = states[`Step${from % steps}`]!;
          const target = to % 2 === 0 ? 'Undo' : to % steps > from % steps ? `Step${to % steps}` : 'Failed';
          step['Catch'] = [...((step['Catch'] as unknown[]) ?? []), { ErrorEquals: ['States.ALL'], Next: target }];
        }
        checkLayout(layoutGraph(parseDefinition({ StartAt: 'Step0', States: states })));
      }),
      { numRuns: 60 },
    );
  });
});
