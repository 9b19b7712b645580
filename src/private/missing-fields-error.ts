/**
 * Thrown when a record format lacks a field that a filter pattern or a query reads. A caller that can do
 * without the piece (a dashboard widget) catches this one error; any other stops synth.
 */
export class MissingFieldsError extends Error {}
