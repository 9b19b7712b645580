import { FlowLogField, FlowLogFormat, TrafficAction, TrafficDirection, TrafficMetricValue, TrafficSignature } from '../../src';

const KIT_COLUMNS = 'version, account_id, interface_id, srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, start, end, '
  + 'action, log_status, vpc_id, subnet_id, instance_id, tcp_flags, type, pkt_srcaddr, pkt_dstaddr, flow_direction, traffic_path';

function withConditions(conditions: Record<string, string>): string {
  return `[${KIT_COLUMNS.split(', ').map(c => conditions[c] ?? c).join(', ')}]`;
}

describe('patterns rendered from the kit format', () => {
  test('SSH accepted bytes: TCP to port 22, ACCEPT, ingress, OK records, value $bytes', () => {
    expect(TrafficSignature.SSH_ACCEPTED_BYTES.renderPattern(FlowLogFormat.KIT)).toBe(withConditions({
      dstport: 'dstport=22', protocol: 'protocol=6', action: 'action="ACCEPT"', log_status: 'log_status="OK"', flow_direction: 'flow_direction="ingress"',
    }));
    expect(TrafficSignature.SSH_ACCEPTED_BYTES.renderMetricValue()).toBe('$bytes');
  });

  test('RDP accepted bytes: TCP to port 3389', () => {
    expect(TrafficSignature.RDP_ACCEPTED_BYTES.renderPattern(FlowLogFormat.KIT)).toBe(withConditions({
      dstport: 'dstport=3389', protocol: 'protocol=6', action: 'action="ACCEPT"', log_status: 'log_status="OK"', flow_direction: 'flow_direction="ingress"',
    }));
  });

  test('rejected flows count 1 per REJECT record; rejected packets sum $packets', () => {
    const reject = withConditions({ action: 'action="REJECT"', log_status: 'log_status="OK"' });
    expect(TrafficSignature.REJECTED_FLOWS.renderPattern(FlowLogFormat.KIT)).toBe(reject);
    expect(TrafficSignature.REJECTED_FLOWS.renderMetricValue()).toBe('1');
    expect(TrafficSignature.REJECTED_PACKETS.renderPattern(FlowLogFormat.KIT)).toBe(reject);
    expect(TrafficSignature.REJECTED_PACKETS.renderMetricValue()).toBe('$packets');
  });

  test('transfer bytes by direction, and external egress excludes the same VPC and gateway endpoints', () => {
    expect(TrafficSignature.transferBytes(TrafficDirection.EGRESS)).toBe(TrafficSignature.EGRESS_BYTES);
    expect(TrafficSignature.transferBytes(TrafficDirection.INGRESS)).toBe(TrafficSignature.INGRESS_BYTES);
    expect(TrafficSignature.INGRESS_BYTES.renderPattern(FlowLogFormat.KIT)).toBe(withConditions({
      action: 'action="ACCEPT"', log_status: 'log_status="OK"', flow_direction: 'flow_direction="ingress"',
    }));
    expect(TrafficSignature.EXTERNAL_EGRESS_BYTES.renderPattern(FlowLogFormat.KIT)).toBe(withConditions({
      action: 'action="ACCEPT"', log_status: 'log_status="OK"', flow_direction: 'flow_direction="egress"', traffic_path: 'traffic_path>1 && traffic_path!=7',
    }));
  });

  test('skipped records count SKIPDATA records, not traffic', () => {
    expect(TrafficSignature.SKIPPED_RECORDS.renderPattern(FlowLogFormat.KIT)).toBe(withConditions({ log_status: 'log_status="SKIPDATA"' }));
    expect(TrafficSignature.SKIPPED_RECORDS.renderMetricValue()).toBe('1');
  });

  test('scoping to subnets ORs their IDs in the subnet_id column', () => {
    expect(TrafficSignature.REJECTED_FLOWS.renderPattern(FlowLogFormat.KIT, ['subnet-aaaaaaaa', 'subnet-bbbbbbbb'])).toBe(withConditions({
      action: 'action="REJECT"', log_status: 'log_status="OK"', subnet_id: 'subnet_id="subnet-aaaaaaaa" || subnet_id="subnet-bbbbbbbb"',
    }));
  });

  test('a custom format keeps its own column order', () => {
    const format = FlowLogFormat.fromFieldNames(['action', 'bytes', 'log-status', 'dstport']);
    expect(TrafficSignature.REJECTED_FLOWS.renderPattern(format)).toBe('[action="REJECT", bytes, log_status="OK", dstport]');
  });
});

describe('custom signatures', () => {
  test('render ports, protocol, action, direction and value', () => {
    const postgres = TrafficSignature.custom({
      metricName: 'PostgresAcceptedPackets',
      destinationPorts: [5432, 5433],
      protocol: 6,
      action: TrafficAction.ACCEPT,
      direction: TrafficDirection.INGRESS,
      value: TrafficMetricValue.PACKETS,
    });
    expect(postgres.metricName).toBe('PostgresAcceptedPackets');
    expect(postgres.description).toBe('packets of protocol 6 to port 5432 or 5433 accepted ingress');
    expect(postgres.renderPattern(FlowLogFormat.KIT)).toBe(withConditions({
      dstport: 'dstport=5432 || dstport=5433', protocol: 'protocol=6', action: 'action="ACCEPT"', log_status: 'log_status="OK"', flow_direction: 'flow_direction="ingress"',
    }));
    expect(postgres.renderMetricValue()).toBe('$packets');
  });

  test('default to bytes of any traffic, OK records only', () => {
    const all = TrafficSignature.custom({ metricName: 'AllBytes', description: 'every byte' });
    expect(all.description).toBe('every byte');
    expect(all.renderPattern(FlowLogFormat.KIT)).toBe(withConditions({ log_status: 'log_status="OK"' }));
    expect(all.renderMetricValue()).toBe('$bytes');
  });

  test.each([
    [{ metricName: 'lowerCase' }, "`metricName` must be PascalCase letters and digits (e.g. PostgresAcceptedBytes), got 'lowerCase'"],
    [{ metricName: 'Has Space' }, "`metricName` must be PascalCase letters and digits (e.g. PostgresAcceptedBytes), got 'Has Space'"],
    [{ metricName: 'Port', destinationPorts: [70000] }, '`destinationPorts` must be whole numbers from 0 to 65535, got 70000'],
    [{ metricName: 'Port', destinationPorts: [22.5] }, '`destinationPorts` must be whole numbers from 0 to 65535, got 22.5'],
    [{ metricName: 'Proto', protocol: 256 }, '`protocol` must be an IANA protocol number from 0 to 255, got 256'],
  ])('fail on %p', (options, message) => {
    expect(() => TrafficSignature.custom(options)).toThrow(message);
  });
});

describe('required fields', () => {
  test('are the condition fields, the value field, and subnet-id when scoped', () => {
    expect(TrafficSignature.SSH_ACCEPTED_BYTES.requiredFields().map(f => f.name).sort())
      .toEqual(['action', 'bytes', 'dstport', 'flow-direction', 'log-status', 'protocol']);
    expect(TrafficSignature.REJECTED_FLOWS.requiredFields(true)).toEqual([FlowLogField.LOG_STATUS, FlowLogField.ACTION, FlowLogField.SUBNET_ID]);
  });

  test('a format that lacks one fails at synth, naming the fields and the way out', () => {
    expect(() => TrafficSignature.SSH_ACCEPTED_BYTES.renderPattern(FlowLogFormat.AWS_DEFAULT)).toThrow(
      "`logFormat` lacks 'flow-direction', which the SshAcceptedBytes signature needs (fields: version account-id interface-id srcaddr dstaddr "
      + 'srcport dstport protocol packets bytes start end action log-status); use FlowLogFormat.KIT, add the fields, or switch the alarm off');
    expect(() => TrafficSignature.REJECTED_FLOWS.renderPattern(FlowLogFormat.AWS_DEFAULT, ['subnet-12345678'])).toThrow(/lacks 'subnet-id'/);
  });

  test('the AWS default format suits signatures without direction', () => {
    expect(TrafficSignature.REJECTED_FLOWS.renderPattern(FlowLogFormat.AWS_DEFAULT))
      .toBe('[version, account_id, interface_id, srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, start, end, action="REJECT", log_status="OK"]');
  });

  test('an empty subnet scope is refused rather than matching everything', () => {
    expect(() => TrafficSignature.REJECTED_FLOWS.renderPattern(FlowLogFormat.KIT, [])).toThrow('signature RejectedFlows cannot be scoped to an empty list of subnets');
  });
});
