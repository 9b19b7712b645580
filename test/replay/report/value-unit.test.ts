import { ADDRESSES, BYTES, FLOWS, formatValue, PACKETS, PLAIN, PORTS, RECORDS, axisScale, unitOf } from '../../../src/replay/report/value-unit';

describe('the unit of a value', () => {
  test('a metric filter counting $bytes is in bytes, $packets in packets, 1 per record in flows', () => {
    expect(unitOf('$bytes', 'PublicSshAcceptedBytes')).toBe(BYTES);
    expect(unitOf('$packets', 'Whatever')).toBe(PACKETS);
    expect(unitOf('1', 'PrivateRejectedFlows')).toBe(FLOWS);
  });

  test('a count of one per record is in records when the metric is named for records (SKIPDATA)', () => {
    expect(unitOf('1', 'SkippedRecords')).toBe(RECORDS);
  });

  test('SampleCount counts the records matched, whatever the value counts', () => {
    expect(unitOf('$bytes', 'PublicEgressBytes', 'SampleCount')).toBe(RECORDS);
  });

  test('a log alarm aggregation names its unit: distinct ports or addresses, summed bytes, counted flows', () => {
    expect(unitOf('count_distinct(dstport)')).toBe(PORTS);
    expect(unitOf('count_distinct( dstaddr )')).toBe(ADDRESSES);
    expect(unitOf('sum(bytes)')).toBe(BYTES);
    expect(unitOf('max(packets)')).toBe(PACKETS);
    expect(unitOf('count(*)')).toBe(FLOWS);
  });

  test('without an expression the metric name decides; an unknown value is a plain number', () => {
    expect(unitOf(undefined, 'IsolatedExternalEgressBytes')).toBe(BYTES);
    expect(unitOf(undefined, 'IsolatedRejectedFlows')).toBe(FLOWS);
    expect(unitOf(undefined, 'IncomingLogEvents')).toBe(PLAIN);
    expect(unitOf('$srcport', 'Ports')).toBe(PLAIN);
    expect(unitOf('5', 'Weighted')).toBe(PLAIN);
  });
});

describe('a value written for a person', () => {
  test('bytes scale by 1024 to KiB, MiB, GiB', () => {
    expect(formatValue(60, BYTES)).toBe('60 B');
    expect(formatValue(61260, BYTES)).toBe(`${(61260 / 1024).toFixed(1)} KiB`);
    expect(formatValue(5 * 1024 ** 3, BYTES)).toBe('5 GiB');
    expect(formatValue(1.5 * 1024 ** 2, BYTES)).toBe('1.5 MiB');
  });

  test('counts have thousands separators, a singular for one, M for millions', () => {
    expect(formatValue(1544, FLOWS)).toBe('1,544 flows');
    expect(formatValue(1, FLOWS)).toBe('1 flow');
    expect(formatValue(2_500_000, RECORDS)).toBe('2.5 M records');
    expect(formatValue(0.5, PLAIN)).toBe('0.5');
  });

  test('an axis shares one scale: the largest prefix its top reaches', () => {
    expect(axisScale(61260, BYTES)).toEqual({ divisor: 1024, suffix: 'KiB' });
    expect(axisScale(6 * 1024 ** 3, BYTES)).toEqual({ divisor: 1024 ** 3, suffix: 'GiB' });
    expect(axisScale(900, FLOWS)).toEqual({ divisor: 1, suffix: '' });
    expect(axisScale(3e6, FLOWS)).toEqual({ divisor: 1e6, suffix: 'M' });
  });
});

test('the delivery-stopped alarm\'s IncomingLogEvents, which replay counts as records, is in records', () => {
  // What replay writes as the valueExpression of an alarm on the log group's IncomingLogEvents.
  expect(unitOf('records', 'IncomingLogEvents', 'Sum')).toBe(RECORDS);
  expect(formatValue(1, unitOf('records', 'IncomingLogEvents', 'Sum'))).toBe('1 record');
});
