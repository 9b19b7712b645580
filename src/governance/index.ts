// Governance: the org-wide baseline aspect that watches every VPC, and the compliance aspect that reports gaps.
export * from './baseline';
export * from './compliance';
