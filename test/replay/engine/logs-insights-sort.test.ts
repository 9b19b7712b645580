import { KIT_PARSE, kitRecord, offsets } from './kit-records';
import { compareNatural, QueryPartials, resultRows, slotOf, streamPlanOf } from '../../../src/replay/engine/logs-insights-partials';
import { parseAggregationExpression, parseLogsInsightsQuery } from '../../../src/replay/engine/logs-insights-query';

// AWS, "sort" (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-Sort.html):
// "The sorting algorithm is an updated version of natural sorting. If you sort in ascending order, the following
// logic is used. All non-number values come before all number values. [...] For non-number values, the algorithm
// groups consecutive numeric characters and consecutive alphabetic characters into separate chunks for comparison.
// It orders non-numeric portions by their Unicode values, and it orders numeric portions by their length first and
// then by their numerical value."

const T = 1_700_000_040;

function sortedBy(field: string, direction: 'asc' | 'desc', values: readonly string[]): string[] {
  const query = parseLogsInsightsQuery(`${KIT_PARSE} | stats count(*) as n by ${field} | sort ${field} ${direction}`);
  const partials = new QueryPartials(streamPlanOf(query, parseAggregationExpression('count(*)')));
  values.forEach((value, i) => {
    const record = kitRecord(T + 1 + i, { [field]: value });
    const { starts, ends } = offsets(record);
    partials.add(record, starts, ends, T + 1 + i);
  });
  return resultRows(query, partials.plan, partials.window(slotOf(T), slotOf(T + 59))).map(row => String(row.get(field)));
}

test('sort asc orders the documented example as AWS does: non-numbers first, natural chunks, numbers last', () => {
  // The documented ascending order, verbatim (CWL_QuerySyntax-Sort.html).
  const documented = ['!:', '#', '*%04', '0#', '5A', '111A', '2345_', '@', '@_', 'A', 'A9876fghj', 'a12345hfh', '0'];
  const shuffled = [...documented].reverse();
  expect(sortedBy('traffic_path', 'asc', shuffled)).toEqual(documented);
  expect(sortedBy('traffic_path', 'desc', shuffled)).toEqual([...documented].reverse());
});

test('sort compares the numeric chunks of addresses by length, then value (10.0.0.9 before 10.0.0.10)', () => {
  expect(sortedBy('srcaddr', 'asc', ['10.0.0.10', '10.0.0.9', '9.1.1.1'])).toEqual(['9.1.1.1', '10.0.0.9', '10.0.0.10']);
  expect(sortedBy('interface_id', 'asc', ['eni-10', 'eni-9', 'eni-100'])).toEqual(['eni-9', 'eni-10', 'eni-100']);
});

test('sort asc puts every non-number value before every number value ("-" and "x" before 22 and 443)', () => {
  expect(sortedBy('dstport', 'asc', ['443', 'x', '22', '-'])).toEqual(['-', 'x', '22', '443']);
  expect(sortedBy('dstport', 'desc', ['443', 'x', '22', '-'])).toEqual(['443', '22', 'x', '-']);
});

test('compareNatural: digit runs by length then value, other chunks by code unit, prefixes first', () => {
  const ordered = ['', '!', '#!x', '#1', 'a', 'a-1', 'a1', 'a2', 'a10', 'ab', 'b'];
  for (let x = 0; x < ordered.length; x++) {
    for (let y = 0; y < ordered.length; y++) {
      expect([ordered[x], ordered[y], Math.sign(compareNatural(ordered[x], ordered[y]))]).toEqual([ordered[x], ordered[y], Math.sign(x - y)]);
    }
  }
});
