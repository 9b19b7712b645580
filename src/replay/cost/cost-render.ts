import { CostEstimateResult, CostLineItem } from './cost-estimate';

/**
 * The estimate as a text table: one line per item (resource, quantity, unit price, monthly
 * cost), categories in the order of the data path, the total, then the volumes, assumptions,
 * unconfirmed prices and sources.
 */
export function renderCostText(result: CostEstimateResult, volumes: string[]): string {
  const notes: string[] = [];
  const rows = result.lineItems.map(item => ({
    item: `  ${item.item} — ${item.resource}${item.note ? ` [${noteNumber(notes, item)}]` : ''}`,
    quantity: `${formatQuantity(item.quantity)} ${item.unit}`,
    price: formatUsd(item.unitPriceUsd, true),
    monthly: formatUsd(item.monthlyUsd, false),
    category: item.category,
  }));
  const widths = {
    item: Math.max(4, ...rows.map(r => r.item.length)),
    quantity: Math.max(8, ...rows.map(r => r.quantity.length)),
    price: Math.max(10, ...rows.map(r => r.price.length)),
    monthly: Math.max(7, ...rows.map(r => r.monthly.length), formatUsd(result.monthlyUsd, false).length),
  };
  const line = (a: string, b: string, c: string, d: string) =>
    `${a.padEnd(widths.item)}  ${b.padStart(widths.quantity)}  ${c.padStart(widths.price)}  ${d.padStart(widths.monthly)}`.trimEnd();
  const rule = '-'.repeat(widths.item + widths.quantity + widths.price + widths.monthly + 6);
  const out: string[] = [
    `Monthly cost estimate, ${result.region} prices read on ${result.pricesReadOn} (USD)`,
    '',
    line('item', 'quantity', 'unit price', 'monthly'),
    rule,
  ];
  let category: string | undefined;
  for (const row of rows) {
    if (row.category !== category) {
      category = row.category;
      out.push(category);
    }
    out.push(line(row.item, row.quantity, row.price, row.monthly));
  }
  out.push(rule, line('total', '', '', formatUsd(result.monthlyUsd, false)), '');
  if (notes.length) out.push('notes:', ...notes.map((n, i) => `  [${i + 1}] ${n}`), '');
  out.push('volume:', ...volumes.map(v => `  ${v}`), '');
  out.push('assumptions:', ...result.assumptions.map(a => `  - ${a}`), '');
  if (result.unconfirmedPrices.length) {
    out.push('prices no stored copy of the pricing pages showed (check them on the page):', ...result.unconfirmedPrices.map(p => `  - ${p}`), '');
  }
  out.push('price sources:', ...result.sources.map(s => `  - ${s}`));
  return `${out.join('\n')}\n`;
}

function noteNumber(notes: string[], item: CostLineItem): number {
  const existing = notes.indexOf(item.note!);
  if (existing >= 0) return existing + 1;
  notes.push(item.note!);
  return notes.length;
}

/** Up to 4 significant decimals, thousands separated. */
export function formatQuantity(n: number): string {
  if (n === 0) return '0';
  const digits = Math.abs(n) >= 100 ? 1 : Math.abs(n) >= 1 ? 2 : 4;
  return n.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** Dollars: cents for costs (sub-cent costs show 4 decimals), the price's own precision for unit prices. */
export function formatUsd(n: number, unitPrice: boolean): string {
  const abs = Math.abs(n);
  const digits = unitPrice ? Math.max(2, decimals(abs)) : abs > 0 && abs < 0.01 ? 4 : 2;
  return `${n < 0 ? '-' : ''}$${abs.toLocaleString('en-US', { minimumFractionDigits: Math.min(digits, 2), maximumFractionDigits: digits })}`;
}

function decimals(n: number): number {
  const s = String(n);
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : Math.min(6, s.length - dot - 1);
}
