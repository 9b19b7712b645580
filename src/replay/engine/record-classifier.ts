/**
 * Tells a line that is not a flow-log record at all (garbage, binary, a fragment) from a
 * well-formed record of another field list, for the records whose field count is not the
 * template's format's (only those are classified: the hot path never calls this).
 *
 * The rule, by the shape of the fields (the other format's field names are not known):
 *
 * - a record of another format: at least two fields, each a flow-log value (see `isFlowLogValue`);
 * - otherwise malformed: a field that no flow-log field can hold (a plain lowercase word such
 *   as `garbage`, punctuation, quotes, non-ASCII or control characters), or a single field.
 *
 * A record cut short (a truncated last line) whose remaining fields are all values cannot be
 * told from a record of a shorter format: it is reported as another format, with its field count.
 */

/** The values some flow-log fields take that are lowercase words (flow-direction, sublocation-type, type). */
const LOWERCASE_VALUES = new Set(['ingress', 'egress', 'wavelength', 'outpost', 'localzone']);

/** A field a flow-log record can hold. */
const NUMBER = /^\d+$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const IPV6 = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$/;
/**
 * Upper-case or capitalised words: ACCEPT, REJECT, OK, NODATA, SKIPDATA, IPv4, EFA, BPA, and
 * the AWS service names of pkt-src-aws-service / pkt-dst-aws-service (AMAZON, S3, ROUTE53 …).
 */
const WORD = /^[A-Z][A-Za-z0-9_]*$/;
/**
 * IDs and names with a digit, a dash, a colon or a slash: resource IDs (eni-…, vpc-…, i-…,
 * tgw-attach-…), Regions and AZ IDs (us-east-1, use1-az4), ARNs and ECS names (v7 fields).
 */
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9_.:/-]*$/;
const ID_MARK = /[0-9:/-]/;

/** Whether a field is a value some flow-log field takes (the format is not known, so any field's). */
export function isFlowLogValue(field: string): boolean {
  return field === '-'
    || NUMBER.test(field)
    || IPV4.test(field)
    || IPV6.test(field)
    || WORD.test(field)
    || LOWERCASE_VALUES.has(field)
    || (IDENTIFIER.test(field) && ID_MARK.test(field));
}

/**
 * Why the fields of a line are not a flow-log record of any format, or undefined when they may
 * be a record of another format.
 */
export function whyNotFlowLogRecord(fields: readonly string[]): string | undefined {
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (isFlowLogValue(field)) {
      continue;
    }
    // eslint-disable-next-line no-control-regex
    const odd = /[^\x20-\x7e]/.exec(field);
    if (odd) {
      const code = odd[0].charCodeAt(0);
      return `not a flow-log record: field ${i + 1} holds ${code < 0x20 || code === 0x7f ? 'a control character' : 'a non-ASCII character'} `
        + `(U+${code.toString(16).toUpperCase().padStart(4, '0')}); binary data or text of another kind`;
    }
    return `not a flow-log record: field ${i + 1} '${abbreviate(field)}' is no flow-log value `
      + '(a number, an IP address, -, ACCEPT/REJECT, OK/NODATA/SKIPDATA, an ID or a name such as eni-…, us-east-1, AMAZON)';
  }
  if (fields.length < 2) {
    return `not a flow-log record: ${fields.length === 0 ? 'no field' : `a single field '${abbreviate(fields[0])}'`}`;
  }
  return undefined;
}

function abbreviate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
