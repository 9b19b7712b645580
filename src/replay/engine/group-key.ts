/**
 * A field's text as a Map key without cutting it out of the record in the common cases: a canonical dotted
 * IPv4 address (`10.0.1.5`, octets without leading zeros) is its 32-bit number, a canonical non-negative
 * integer below 2^32 (`443`, `0`) is 2^32 plus itself, and any other text is itself, a string.
 *
 * The encoding is injective (two different texts never share a key, a number key never equals a string key),
 * so grouping and distinct-counting by key is grouping by text, as Logs Insights groups the strings `parse`
 * extracted.
 */
export type GroupKey = number | string;

const TWO_32 = 4294967296;

export function groupKeyAt(text: string, start: number, end: number): GroupKey {
  const length = end - start;
  if (length > 0 && length <= 15) {
    let value = 0;
    let octet = 0;
    let digits = 0;
    let dots = 0;
    let leadingZero = false;
    let i = start;
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        if (leadingZero) break; // `01`, `10.00.1.5`: not canonical
        if (digits === 0 && c === 48) leadingZero = true;
        octet = octet * 10 + (c - 48);
        digits++;
      } else if (c === 46 && digits > 0 && digits <= 3 && octet <= 255 && dots < 3) {
        value = value * 256 + octet;
        octet = 0;
        digits = 0;
        dots++;
        leadingZero = false;
      } else {
        break;
      }
    }
    if (i === end && digits > 0) {
      if (dots === 3 && digits <= 3 && octet <= 255) return value * 256 + octet;
      if (dots === 0 && digits <= 10 && octet < TWO_32) return TWO_32 + octet;
    }
  }
  return text.slice(start, end);
}

/** The text a key was made from. */
export function groupKeyText(key: GroupKey): string {
  if (typeof key === 'string') return key;
  if (key >= TWO_32) return String(key - TWO_32);
  return `${Math.floor(key / 16777216)}.${Math.floor(key / 65536) % 256}.${Math.floor(key / 256) % 256}.${key % 256}`;
}
