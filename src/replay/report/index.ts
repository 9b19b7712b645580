// Replay report: one self-contained HTML page per replay, with an inline SVG timeline per alarm.
export * from './flow-log-replay-report';
