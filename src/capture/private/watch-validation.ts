import { RemovalPolicy, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { characters } from '../../private/resource-name';
import { FlowLogFormat } from '../flow-log-format';

// CreateLogGroup: "Log group names can be between 1 and 512 characters long", of "a-z, A-Z, 0-9, '_',
// '-', '/', '.', and '#'", and "can't start with the string `aws/`" (`/aws/...` is allowed: AWS
// recommends `/aws/vendedlogs/` for vended logs).
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const RESERVED_LOG_GROUP_PREFIX = 'aws/';

/**
 * The removal policies a resource without snapshots accepts. `Snapshot` is a DeletionPolicy only
 * for the resource types listed in
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html
 * (no log group, no S3 bucket); aws-cdk-lib renders it anyway unless a feature flag is on.
 */
const REMOVAL_POLICIES_WITHOUT_SNAPSHOT = [RemovalPolicy.RETAIN, RemovalPolicy.DESTROY, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE];

/** EC2 tags: "Maximum value length – 256 Unicode characters" (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions). */
export const MAX_TAG_VALUE_LENGTH = 256;
/** What the archive's flow log adds to the watch's flow-log name. */
export const ARCHIVE_NAME_SUFFIX = ' (archive)';

export function validateFormat(format: FlowLogFormat): void {
  const tgwOnly = format.fields.filter(f => f.transitGatewayOnly);
  if (tgwOnly.length > 0) {
    throw new Error(`\`logFormat\` has fields that only Transit Gateway flow logs record: ${tgwOnly.map(f => f.name).join(', ')}; `
      + 'a VPC, subnet or network interface flow log rejects them');
  }
}

export function validateEnum<T>(prop: string, value: T | undefined, allowed: T[]): void {
  if (value === undefined || Token.isUnresolved(value) || allowed.includes(value)) {
    return;
  }
  throw new Error(`\`${prop}\` must be one of ${allowed.join(', ')}, got '${value}'`);
}

export function validateLogGroupName(name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) {
    return;
  }
  if (typeof name !== 'string' || !LOG_GROUP_NAME.test(name)) {
    throw new Error(`\`logGroupName\` must be 1 to 512 characters of letters, digits and . - _ / #, got '${name}'`);
  }
  if (name.startsWith(RESERVED_LOG_GROUP_PREFIX)) {
    throw new Error(`\`logGroupName\` must not start with '${RESERVED_LOG_GROUP_PREFIX}' (reserved by AWS), got '${name}'; `
      + 'a leading slash is fine: /aws/vendedlogs/… is the prefix AWS recommends for vended logs');
  }
}

/**
 * Throws on a removal policy a resource without snapshots does not accept (RemovalPolicy.SNAPSHOT).
 */
export function validateRemovalPolicy(prop: string, policy: RemovalPolicy | undefined, resource: string): void {
  if (policy === undefined || REMOVAL_POLICIES_WITHOUT_SNAPSHOT.includes(policy)) {
    return;
  }
  const allowed = REMOVAL_POLICIES_WITHOUT_SNAPSHOT.map(p => `RemovalPolicy.${Object.entries(RemovalPolicy).find(([, v]) => v === p)![0]}`);
  throw new Error(`\`${prop}\` must be ${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}, got '${policy}': `
    + `CloudFormation keeps snapshots only of databases, caches and volumes, not of ${resource}`);
}

/**
 * Throws when the flow-log name given is longer than an EC2 tag value may be, counting the
 * suffix the archive's flow log adds.
 */
export function validateFlowLogName(name: string | undefined, archived: boolean): void {
  if (name === undefined || Token.isUnresolved(name)) {
    return;
  }
  const max = MAX_TAG_VALUE_LENGTH - (archived ? characters(ARCHIVE_NAME_SUFFIX) : 0);
  if (typeof name !== 'string' || characters(name) < 1 || characters(name) > max) {
    throw new Error(`\`flowLogName\` must be 1 to ${max} characters${archived ? ` with \`archive\` (the archive's flow log is named '<flowLogName>${ARCHIVE_NAME_SUFFIX}')` : ''}, `
      + `got ${typeof name === 'string' ? `${characters(name)} characters` : `'${name}'`}: it is the flow log's Name tag, and EC2 tag values have at most ${MAX_TAG_VALUE_LENGTH} characters`);
  }
}

/** MetricTransformation `metricNamespace`: 1 to 255 characters (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_MetricTransformation.html). */
export const MAX_METRIC_NAMESPACE_LENGTH = 255;

/**
 * MetricTransformation `metricNamespace`: "Pattern: [^:*$]*" (same page): a metric filter's namespace may not
 * have the colon that CloudWatch's own PutMetricData namespaces may.
 */
const METRIC_FILTER_NAMESPACE_FORBIDDEN = /[:*$]/;

export function validateNamespace(namespace: string): void {
  if (Token.isUnresolved(namespace)) {
    return;
  }
  if (typeof namespace === 'string' && METRIC_FILTER_NAMESPACE_FORBIDDEN.test(namespace)) {
    throw new Error(`\`metricNamespace\` must not contain ':', '*' or '$' (a metric filter's namespace may not), got '${namespace}'`);
  }
  if (typeof namespace !== 'string' || !/^[A-Za-z0-9.\-_/# ]{1,255}$/.test(namespace) || namespace.startsWith('AWS/')) {
    throw new Error(`\`metricNamespace\` must be 1 to 255 letters, digits or . - _ / # and space, not starting with 'AWS/', got '${namespace}'`);
  }
}

/**
 * "CloudWatch Logs supports only symmetric customer managed keys. Do not use an asymmetric key to encrypt the data in
 * your log groups": https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 * (an HMAC key cannot encrypt at all). Only a key of the app can be checked; an imported key, or a spec that is a
 * token, is not.
 */
export function validateEncryptionKey(key: kms.IKey | undefined): void {
  const cfn = key?.node.defaultChild;
  if (!(cfn instanceof kms.CfnKey)) {
    return;
  }
  const spec = cfn.keySpec ?? kms.KeySpec.SYMMETRIC_DEFAULT;
  const usage = cfn.keyUsage ?? kms.KeyUsage.ENCRYPT_DECRYPT;
  if (Token.isUnresolved(spec) || Token.isUnresolved(usage)
    || (spec === kms.KeySpec.SYMMETRIC_DEFAULT && usage === kms.KeyUsage.ENCRYPT_DECRYPT)) {
    return;
  }
  throw new Error('`encryptionKey` must be a symmetric encryption key (KeySpec.SYMMETRIC_DEFAULT, KeyUsage.ENCRYPT_DECRYPT), '
    + `got '${key!.node.path}' with KeySpec ${spec}, KeyUsage ${usage}: CloudWatch Logs supports only symmetric keys `
    + '(https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html)');
}
