import { Token } from 'aws-cdk-lib';
import { FlowLogFormat } from '../flow-log-format';

const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;

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
  if (name === undefined || Token.isUnresolved(name) || LOG_GROUP_NAME.test(name)) {
    return;
  }
  throw new Error(`\`logGroupName\` must be 1 to 512 characters of letters, digits and . - _ / #, got '${name}'`);
}

export function validateNamespace(namespace: string): void {
  if (Token.isUnresolved(namespace)) {
    return;
  }
  if (!/^[A-Za-z0-9.\-_/#: ]{1,255}$/.test(namespace) || namespace.startsWith('AWS/') || namespace.startsWith(':')) {
    throw new Error(`\`metricNamespace\` must be 1 to 255 letters, digits or . - _ / # : and space, not starting with 'AWS/' or ':', got '${namespace}'`);
  }
}
