import { FlowLogFormat } from '../../../src/capture/flow-log-format';
import { FlowLogQuery } from '../../../src/visibility/flow-log-query';

/** `parse @message "* * …" as version, account_id, …`: the kit format's parse statement. */
export const KIT_PARSE = FlowLogQuery.parseStatement(FlowLogFormat.KIT);

/** The kit format's field names as Logs Insights names them (`account_id`). */
export const KIT_FIELDS = FlowLogFormat.KIT.fieldNames.map(n => n.replace(/-/g, '_'));

/**
 * A record in the kit's format: an accepted TCP flow captured from `at` for 30 seconds, with the given
 * fields changed. `at` is the record's start, the time CloudWatch Logs gives its event and replay counts it at.
 */
export function kitRecord(at: number, fields: Record<string, string | number> = {}): string {
  const defaults: Record<string, string | number> = {
    version: 5,
    account_id: '123456789012',
    interface_id: 'eni-0123456789abcdef0',
    srcaddr: '198.51.100.9',
    dstaddr: '10.0.1.5',
    srcport: 40000,
    dstport: 443,
    protocol: 6,
    packets: 1,
    bytes: 40,
    start: at,
    end: at + 30,
    action: 'ACCEPT',
    log_status: 'OK',
    vpc_id: 'vpc-0123456789abcdef0',
    subnet_id: 'subnet-00000000000000001',
    instance_id: 'i-0123456789abcdef0',
    tcp_flags: 2,
    type: 'IPv4',
    pkt_srcaddr: '198.51.100.9',
    pkt_dstaddr: '10.0.1.5',
    flow_direction: 'ingress',
    traffic_path: '-',
  };
  const values = { ...defaults, ...fields };
  return KIT_FIELDS.map(f => String(values[f])).join(' ');
}

/** The field offsets of a single-spaced record, as the replay session finds them. */
export function offsets(record: string): { starts: Int32Array; ends: Int32Array } {
  const starts = new Int32Array(256);
  const ends = new Int32Array(256);
  let at = 0;
  record.split(' ').forEach((field, i) => {
    starts[i] = at;
    ends[i] = at + field.length;
    at += field.length + 1;
  });
  return { starts, ends };
}
