// Visibility: saved Logs Insights queries, Contributor Insights rules, dashboards.
export * from './flow-log-query';
export * from './flow-log-queries';
export * from './flow-log-insight-rule';
export * from './flow-log-dashboard';
