import { FlowLogField } from './flow-log-field';
import { requireArray, requireInstance } from '../private/input-checks';

/**
 * The ordered field list of a flow log's records.
 *
 * The same list renders the flow log's `LogFormat` and everything that reads the records
 * back (filter patterns, parsers), so a custom format cannot silently break them.
 */
export class FlowLogFormat {
  /**
   * AWS's default format: the 14 version-2 fields.
   */
  public static readonly AWS_DEFAULT = new FlowLogFormat([
    FlowLogField.VERSION, FlowLogField.ACCOUNT_ID, FlowLogField.INTERFACE_ID,
    FlowLogField.SRCADDR, FlowLogField.DSTADDR, FlowLogField.SRCPORT, FlowLogField.DSTPORT,
    FlowLogField.PROTOCOL, FlowLogField.PACKETS, FlowLogField.BYTES,
    FlowLogField.START, FlowLogField.END, FlowLogField.ACTION, FlowLogField.LOG_STATUS,
  ]);

  /**
   * The kit's format, the default of every watch: AWS's default fields first (so tools that
   * read the default format read its prefix), then what role-aware alarms and investigations
   * need: the VPC, subnet and instance, TCP flags, address type (IPv4/IPv6), packet-level
   * addresses, direction and path.
   */
  public static readonly KIT = new FlowLogFormat([
    ...FlowLogFormat.AWS_DEFAULT.fields,
    FlowLogField.VPC_ID, FlowLogField.SUBNET_ID, FlowLogField.INSTANCE_ID, FlowLogField.TCP_FLAGS,
    FlowLogField.TYPE, FlowLogField.PKT_SRCADDR, FlowLogField.PKT_DSTADDR,
    FlowLogField.FLOW_DIRECTION, FlowLogField.TRAFFIC_PATH,
  ]);

  /**
   * A format of these fields, in this order.
   *
   * @throws if the list is empty or names a field twice
   */
  public static fromFields(fields: FlowLogField[]): FlowLogFormat {
    requireArray('logFormat', fields, 'FlowLogField (e.g. [FlowLogField.VERSION, FlowLogField.SRCADDR])');
    fields.forEach((field, i) => requireInstance(`logFormat[${i}]`, field, FlowLogField, 'a FlowLogField (e.g. FlowLogField.SRCADDR)'));
    return new FlowLogFormat(fields);
  }

  /**
   * A format of the fields with these names (`['version', 'srcaddr', …]`), in this order.
   *
   * @throws if the list is empty, names an unknown field or names a field twice
   */
  public static fromFieldNames(names: string[]): FlowLogFormat {
    requireArray('logFormat', names, "field names (e.g. ['version', 'srcaddr'])");
    return new FlowLogFormat(names.map(name => {
      try {
        return FlowLogField.fromName(name);
      } catch (e) {
        throw new Error(`\`logFormat\`: ${(e as Error).message}`);
      }
    }));
  }

  /**
   * The fields, in record order.
   */
  public readonly fields: FlowLogField[];

  /**
   * The flow-log version of the records: the highest version among the fields.
   */
  public readonly version: number;

  private constructor(fields: FlowLogField[]) {
    if (fields.length === 0) {
      throw new Error('`logFormat` must list at least one field, got an empty list');
    }
    const seen = new Set<string>();
    for (const field of fields) {
      if (seen.has(field.name)) {
        throw new Error(`\`logFormat\` lists the field '${field.name}' twice; each field may appear once: ${fields.map(f => f.name).join(' ')}`);
      }
      seen.add(field.name);
    }
    this.fields = [...fields];
    this.version = Math.max(...fields.map(f => f.version));
  }

  /**
   * The field names, in record order.
   */
  public get fieldNames(): string[] {
    return this.fields.map(f => f.name);
  }

  /**
   * The zero-based position of a field in the record, or -1 when the format lacks it.
   */
  public indexOf(field: FlowLogField): number {
    return this.fields.findIndex(f => f.name === field.name);
  }

  /**
   * Whether the records carry this field.
   */
  public hasField(field: FlowLogField): boolean {
    return this.indexOf(field) >= 0;
  }

  /**
   * The `LogFormat` string of the flow log: `${version} ${account-id} …`.
   */
  public renderLogFormat(): string {
    return this.fields.map(f => f.toFormatToken()).join(' ');
  }

  /**
   * Splits a plain-text record into its fields, by name.
   *
   * Fields are separated by runs of spaces; values are returned as written (`-` where the
   * record has no value, as in NODATA and SKIPDATA records).
   *
   * @throws if the record's field count differs from the format's
   */
  public parseRecord(record: string): Record<string, string> {
    const trimmed = record.trim();
    const values = trimmed === '' ? [] : trimmed.split(/ +/);
    if (values.length !== this.fields.length) {
      throw new Error(`flow-log record has ${values.length} fields, the format has ${this.fields.length} (${this.fieldNames.join(' ')}): '${record}'`);
    }
    const parsed: Record<string, string> = {};
    this.fields.forEach((field, i) => parsed[field.name] = values[i]);
    return parsed;
  }
}
