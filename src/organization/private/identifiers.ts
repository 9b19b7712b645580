import { Token } from 'aws-cdk-lib';

/**
 * Formats of AWS Organizations identifiers and Region names, checked at synth so that a typo fails
 * before a deployment does. Patterns from the Organizations API reference:
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html (o-…),
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_OrganizationalUnit.html (ou-…),
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_Root.html (r-…),
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html (12 digits).
 */
export const ACCOUNT_ID = /^\d{12}$/;
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
export const ORGANIZATIONAL_UNIT_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
export const ROOT_ID = /^r-[0-9a-z]{4,32}$/;

/**
 * A Region name: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`, `us-iso-east-1`…
 * (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html).
 * The format, not a list: a list would reject next year's Regions.
 */
export const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

/** Throws unless the value matches the format; tokens are not checked. */
export function validateFormat(prop: string, value: string | undefined, format: RegExp, allowed: string): void {
  if (value !== undefined && Token.isUnresolved(value)) {
    return;
  }
  if (value === undefined || !format.test(value)) {
    throw new Error(`\`${prop}\` must be ${allowed}, got ${value === undefined ? 'nothing' : `'${value}'`}`);
  }
}

export function validateAccountId(prop: string, value: string | undefined): void {
  validateFormat(prop, value, ACCOUNT_ID, 'an AWS account ID (12 digits)');
}

export function validateRegion(prop: string, value: string | undefined): void {
  validateFormat(prop, value, REGION, 'a Region name such as us-east-1 or eu-west-2');
}

/** Throws if the list is empty, names a value twice or holds a value of the wrong format. */
export function validateList(prop: string, values: string[] | undefined, format: RegExp, allowed: string): void {
  if (Token.isUnresolved(values)) {
    return;
  }
  if (!values || values.length === 0) {
    throw new Error(`\`${prop}\` must list at least one value (${allowed}), got an empty list`);
  }
  values.forEach((v, i) => validateFormat(`${prop}[${i}]`, v, format, allowed));
  const twice = values.find((v, i) => !Token.isUnresolved(v) && values.indexOf(v) !== i);
  if (twice !== undefined) {
    throw new Error(`\`${prop}\` lists '${twice}' twice; list each value once: ${values.join(', ')}`);
  }
}

export function validateRegions(prop: string, values: string[] | undefined): void {
  validateList(prop, values, REGION, 'Region names such as us-east-1');
}

/** A single-quoted string literal for the filter expressions of observabilityadmin (the value's own quotes doubled). */
export function quoted(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
