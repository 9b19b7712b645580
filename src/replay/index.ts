// Replay: offline evaluation of a synthesized template's filters and alarms over captured records.
// It reads templates and records and never builds a construct; engine/ holds the evaluators.
export * from './replay-result';
export * from './flow-log-replay';
export * from './cost';
export * from './report';
