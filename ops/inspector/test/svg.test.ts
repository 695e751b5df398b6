import { toDot } from '../src/core/dot';
import { compensationRule } from '../src/core/compensation';
import { parseDefinition } from '../src/core/definition';
import { layoutGraph } from '../src/core/layout';
import { escapeXml, renderSvg } from '../src/core/svg';
import { definitionOf, viewOf } from './helpers/fixtures';

/** The attributes of the element carrying data-state="name". */
function stateNode(svg: string, name: string): string {
  const match = new RegExp(`<g class="([^"]*)" data-state="${name}" data-status="([^"]*)" data-compensation="([^"]*)">`).exec(svg);
  if (!match) throw new Error(`no node ${name}`);
  return `${match[1]}|${match[2]}|${match[3]}`;
}

describe('renderSvg', () => {
  const view = viewOf('saga-compensated');
  const svg = renderSvg(view.graph, view.path, { title: 'ord <compensated>', finished: true });

  it('colours states by the outcome of their visit and marks compensations', () => {
    expect(stateNode(svg, 'ShipOrder')).toBe('g-node g-node--caught|caught|false');
    expect(stateNode(svg, 'RefundPaymentAfterShippingFailed')).toBe('g-node g-node--succeeded g-node--compensation|succeeded|true');
    expect(stateNode(svg, 'OrderFailed')).toBe('g-node g-node--failed|failed|false');
    expect(stateNode(svg, 'ConfirmOrder')).toBe('g-node g-node--idle|idle|false');
  });

  it('draws the transitions taken heavy, the caught one as a Catch edge', () => {
    expect(svg).toContain('data-from="ShipOrder" data-to="RefundPaymentAfterShippingFailed" data-kind="catch" data-taken="true"');
    expect(svg).toContain('data-from="ShipOrder" data-to="ConfirmOrder" data-kind="next" data-taken="false"');
    expect(svg).toContain('data-from="__start__" data-to="ReserveInventory" data-kind="next" data-taken="true"');
    expect(svg).toContain('data-from="OrderFailed" data-to="__end__" data-kind="next" data-taken="true"');
    expect(svg.match(/data-taken="true"/g)).toHaveLength(8);
  });

  it('is a standalone SVG document with escaped text', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('<title>ord &lt;compensated&gt;</title>');
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('without a path draws the bare definition', () => {
    const bare = renderSvg(layoutGraph(parseDefinition(definitionOf('saga-succeeded')), compensationRule()));
    expect(bare).not.toContain('data-taken="true"');
    expect(stateNode(bare, 'MarkOrderFailed')).toBe('g-node g-node--idle g-node--compensation|idle|true');
  });

  it('shows visit and retry badges', () => {
    const redriven = viewOf('saga-redriven');
    const text = renderSvg(redriven.graph, redriven.path);
    expect(text).toContain('×2');
    expect(text).toContain('↻2');
  });
});

describe('toDot', () => {
  it('emits Graphviz with the path taken and dashed compensations', () => {
    const view = viewOf('saga-declined');
    const dot = toDot(parseDefinition(definitionOf('saga-declined')), view.path, compensationRule());
    expect(dot).toMatch(/^digraph saga \{/);
    expect(dot).toContain('"ProcessPayment" -> "ReleaseInventoryAfterPaymentDeclined" [label="PaymentDeclined", style=dashed, penwidth=2.5');
    expect(dot).toMatch(/"ReleaseInventoryAfterPaymentDeclined" \[label="ReleaseInventoryAfterPaymentDeclined\\nTask · succeeded", style="rounded,filled,dashed"/);
  });
});
