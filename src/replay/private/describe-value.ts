/**
 * A value received from a caller, described for an error message: its kind and, when short,
 * the value itself (`undefined`, `null`, `number 42`, `string 'x'`, `an array of 2`, `an object (Foo)`).
 */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) {
    return String(value);
  }
  if (typeof value === 'string') {
    return `string '${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `${typeof value} ${String(value)}`;
  }
  if (Array.isArray(value)) {
    return `an array of ${value.length}`;
  }
  if (typeof value === 'function') {
    return 'a function';
  }
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== 'Object' ? `an object (${name})` : 'an object';
}
