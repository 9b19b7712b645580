// Organization: org-wide flow logs (telemetry and centralization rules), the organization archive, tamper protection.
export * from './organization-scope';
export * from './organization-administrator';
export * from './resource-selection';
export * from './central-log-encryption';
export * from './flow-log-organization';
export * from './organization-archive';
export * from './tamper-protection-policy';
export * from './tamper-alert';
export * from './central-detections';
