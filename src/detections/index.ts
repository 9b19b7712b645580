// Detections: per-source log alarms (scans, sweeps, brute force, exfiltration, mining, odd egress) chosen by subnet role.
export * from './flow-log-detection';
export * from './detection-options';
export * from './detection-roles';
