import { resourceSpec, PropertySpec, ResourceSpec, SpecType } from './resource-spec';

/** One way a template breaks CloudFormation's resource schemas or template rules. */
export interface SchemaViolation {
  /** The resource's logical ID; absent for a problem outside `Resources` (a section, an output). */
  readonly logicalId?: string;
  /** The resource's `Type`, when it has one. */
  readonly resourceType?: string;
  /** Where in the resource (or template) the problem is: `Properties.DestinationOptions.fileFormat`. */
  readonly path: string;
  readonly message: string;
}

/**
 * Validates a synthesized CloudFormation template against CloudFormation's resource schemas
 * (through `@aws-cdk/aws-service-spec`) and the template anatomy: unknown resource types, unknown
 * (case-sensitive) or missing required properties, literal values of the wrong type or outside
 * the allowed values, the same inside property types and lists and maps of them, resource-level
 * keys (`DependsOn`, `Condition`, `DeletionPolicy` …), and `Ref` / `Fn::GetAtt` targets.
 *
 * Intrinsic functions are not evaluated: a value that is one (`{ Ref }`, `{ "Fn::…" }`) passes
 * wherever it appears. Why this matters: CloudFormation does not always reject a property it does
 * not know, it may only log "Resource template validation failed … extraneous key … is not
 * permitted" and ignore it (https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/1514),
 * so the deploy succeeds with the setting silently missing.
 */
export function validateTemplate(template: object): SchemaViolation[] {
  return new TemplateValidator(template, resourceSpec()).validate();
}

/** Throws one error listing every violation of `template`; `label` names the template (e.g. the stack). */
export function assertSchemaValid(template: object, label: string): void {
  const violations = validateTemplate(template);
  if (violations.length > 0) {
    throw new Error(formatViolations(violations, label));
  }
}

/** A readable multi-line report: one line per violation with logical ID, type and path. */
export function formatViolations(violations: readonly SchemaViolation[], label: string): string {
  const lines = violations.map(v => {
    const where = v.logicalId === undefined ? v.path : `${v.logicalId} (${v.resourceType ?? 'no Type'}) ${v.path}`;
    return `  - ${where}: ${v.message}`;
  });
  const count = violations.length === 1 ? '1 violation' : `${violations.length} violations`;
  return [`${label}: the template is not valid against CloudFormation's resource schemas (${count}):`, ...lines].join('\n');
}

// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html
const TEMPLATE_SECTIONS = new Set([
  'AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings',
  'Conditions', 'Transform', 'Resources', 'Outputs', 'Hooks',
]);
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-product-attribute-reference.html
const RESOURCE_KEYS = new Set([
  'Type', 'Properties', 'DependsOn', 'Metadata', 'Condition',
  'DeletionPolicy', 'UpdateReplacePolicy', 'UpdatePolicy', 'CreationPolicy',
]);
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/outputs-section-structure.html
const OUTPUT_KEYS = new Set(['Value', 'Description', 'Export', 'Condition']);
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html
const DELETION_POLICIES = ['Delete', 'Retain', 'RetainExceptOnCreate', 'Snapshot'];
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-updatereplacepolicy.html
const UPDATE_REPLACE_POLICIES = ['Delete', 'Retain', 'Snapshot'];
// The resource types the DeletionPolicy page lists under "Snapshot" (same URL as above).
const SNAPSHOT_TYPES = new Set([
  'AWS::EC2::Volume', 'AWS::ElastiCache::CacheCluster', 'AWS::ElastiCache::ReplicationGroup',
  'AWS::Neptune::DBCluster', 'AWS::RDS::DBCluster', 'AWS::RDS::DBInstance', 'AWS::Redshift::Cluster',
]);
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/pseudo-parameter-reference.html
const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId', 'AWS::NotificationARNs', 'AWS::NoValue', 'AWS::Partition',
  'AWS::Region', 'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix',
]);
// "The logical ID must be alphanumeric (A-Za-z0-9) and unique within the template."
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/resources-section-structure.html
const LOGICAL_ID = /^[A-Za-z0-9]+$/;

const CUSTOM_RESOURCE = 'AWS::CloudFormation::CustomResource';
// The CDK's own analytics resource: CloudFormation accepts it, the registry has no schema for it.
const CDK_METADATA = 'AWS::CDK::Metadata';
const CDK_METADATA_PROPERTIES: Record<string, PropertySpec> = { Analytics: { type: { type: 'string' } } };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Problem {
  readonly path: string;
  readonly message: string;
}

class TemplateValidator {
  private readonly violations: SchemaViolation[] = [];
  private readonly template: JsonObject;
  private readonly resources: JsonObject;

  constructor(template: object, private readonly spec: ResourceSpec) {
    this.template = template as JsonObject;
    this.resources = isObject(this.template) && isObject(this.template.Resources) ? this.template.Resources : {};
  }

  validate(): SchemaViolation[] {
    if (!isObject(this.template)) {
      return [{ path: '', message: `a template must be a JSON object, got ${describe(this.template)}` }];
    }
    for (const section of Object.keys(this.template)) {
      if (!TEMPLATE_SECTIONS.has(section)) {
        this.report(undefined, section, `unknown template section${suggest(section, [...TEMPLATE_SECTIONS])}`);
      }
    }
    // A template without Resources (an empty test stack) is not checked for it: nothing here deploys those.
    if (this.template.Resources !== undefined && !isObject(this.template.Resources)) {
      this.report(undefined, 'Resources', `must be an object of resources, got ${describe(this.template.Resources)}`);
    }
    for (const [logicalId, resource] of Object.entries(this.resources)) {
      this.validateResource(logicalId, resource);
    }
    this.validateOutputs();
    return this.violations;
  }

  private report(logicalId: string | undefined, path: string, message: string, resourceType?: string): void {
    this.violations.push({ logicalId, resourceType, path, message });
  }

  private validateResource(logicalId: string, resource: Json): void {
    if (!LOGICAL_ID.test(logicalId)) {
      this.report(logicalId, '', 'a logical ID must be alphanumeric (A-Za-z0-9)');
    }
    if (!isObject(resource)) {
      this.report(logicalId, '', `a resource must be an object, got ${describe(resource)}`);
      return;
    }
    const type = typeof resource.Type === 'string' ? resource.Type : undefined;
    const report = (path: string, message: string) => this.report(logicalId, path, message, type);

    for (const key of Object.keys(resource)) {
      if (!RESOURCE_KEYS.has(key)) {
        report(key, `unknown resource attribute${suggest(key, [...RESOURCE_KEYS])}`);
      }
    }
    if (resource.Type === undefined) {
      report('Type', 'required resource attribute is missing');
    } else if (type === undefined) {
      report('Type', `must be a string, got ${describe(resource.Type)}`);
    }
    this.validateResourceAttributes(logicalId, resource, type, report);
    this.findReferences(resource.Properties, 'Properties', report);
    if (type === undefined) return;

    const properties = this.propertiesOf(type);
    if (properties === undefined) {
      report('Type', `unknown resource type \`${type}\`${suggest(type, [...this.spec.resourceTypeNames()])}`);
      return;
    }
    const props = resource.Properties;
    if (props !== undefined && isIntrinsic(props)) return;
    if (props !== undefined && !isObject(props)) {
      report('Properties', `must be an object, got ${describe(props)}`);
      return;
    }
    const isCustom = type === CUSTOM_RESOURCE || type.startsWith('Custom::');
    // A custom resource's properties are its provider's business; only ServiceToken (and ServiceTimeout) are CloudFormation's.
    const problems = this.checkObject(props ?? {}, properties, type, 'Properties', isCustom);
    problems.forEach(p => report(p.path, p.message));
  }

  private propertiesOf(type: string): Record<string, PropertySpec> | undefined {
    if (type === CDK_METADATA) return CDK_METADATA_PROPERTIES;
    if (type.startsWith('Custom::')) return this.spec.resource(CUSTOM_RESOURCE)?.properties;
    return this.spec.resource(type)?.properties;
  }

  private validateResourceAttributes(logicalId: string, resource: JsonObject, type: string | undefined,
    report: (path: string, message: string) => void): void {
    const dependsOn = resource.DependsOn;
    if (dependsOn !== undefined) {
      const targets = Array.isArray(dependsOn) ? dependsOn : [dependsOn];
      targets.forEach((target, i) => {
        const path = Array.isArray(dependsOn) ? `DependsOn[${i}]` : 'DependsOn';
        if (typeof target !== 'string') {
          report(path, `must be a logical ID (a string), got ${describe(target)}`);
        } else if (target === logicalId) {
          report(path, 'a resource cannot depend on itself');
        } else if (!(target in this.resources)) {
          report(path, `\`${target}\` is not a resource of this template`);
        }
      });
    }
    const condition = resource.Condition;
    if (condition !== undefined) {
      const conditions = isObject(this.template.Conditions) ? this.template.Conditions : {};
      if (typeof condition !== 'string') {
        report('Condition', `must be a condition name (a string), got ${describe(condition)}`);
      } else if (!(condition in conditions)) {
        report('Condition', `\`${condition}\` is not a condition of this template`);
      }
    }
    this.checkPolicy(resource.DeletionPolicy, 'DeletionPolicy', DELETION_POLICIES, type, report);
    this.checkPolicy(resource.UpdateReplacePolicy, 'UpdateReplacePolicy', UPDATE_REPLACE_POLICIES, type, report);
    for (const key of ['Metadata', 'UpdatePolicy', 'CreationPolicy']) {
      const value = resource[key];
      if (value !== undefined && !isObject(value)) {
        report(key, `must be an object, got ${describe(value)}`);
      }
    }
  }

  private checkPolicy(value: Json | undefined, key: string, allowed: string[], type: string | undefined,
    report: (path: string, message: string) => void): void {
    if (value === undefined || isIntrinsic(value)) return;
    if (typeof value !== 'string' || !allowed.includes(value)) {
      report(key, `must be one of ${allowed.join(', ')}, got ${describe(value)}`);
    } else if (value === 'Snapshot' && type !== undefined && !SNAPSHOT_TYPES.has(type)) {
      report(key, `\`Snapshot\` is only for resources that support snapshots (${[...SNAPSHOT_TYPES].join(', ')}), not ${type}`);
    }
  }

  private validateOutputs(): void {
    const outputs = this.template.Outputs;
    if (outputs === undefined) return;
    if (!isObject(outputs)) {
      this.report(undefined, 'Outputs', `must be an object, got ${describe(outputs)}`);
      return;
    }
    for (const [name, output] of Object.entries(outputs)) {
      const report = (path: string, message: string) => this.report(undefined, `Outputs.${name}${path}`, message);
      if (!isObject(output)) {
        report('', `an output must be an object, got ${describe(output)}`);
        continue;
      }
      Object.keys(output).filter(k => !OUTPUT_KEYS.has(k))
        .forEach(k => report(`.${k}`, `unknown output key${suggest(k, [...OUTPUT_KEYS])}`));
      if (output.Value === undefined) report('.Value', 'required output key is missing');
      this.findReferences(output.Value, '.Value', report);
    }
  }

  /**
   * `Ref` and `Fn::GetAtt` must name something the template has: CloudFormation rejects the
   * template otherwise ("Unresolved resource dependencies … in the Resources block").
   */
  private findReferences(value: Json | undefined, path: string, report: (path: string, message: string) => void): void {
    if (Array.isArray(value)) {
      value.forEach((item, i) => this.findReferences(item, `${path}[${i}]`, report));
      return;
    }
    if (!isObject(value)) return;
    if (isIntrinsic(value) && 'Ref' in value) {
      const target = value.Ref;
      if (typeof target === 'string' && !this.isReferable(target)) {
        report(path, `{ Ref: ${target} } names no resource, parameter or pseudo parameter of this template`);
      }
      return;
    }
    if (isIntrinsic(value) && 'Fn::GetAtt' in value) {
      const problem = this.checkGetAtt(value['Fn::GetAtt']);
      if (problem) report(path, problem);
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      this.findReferences(item, `${path}.${key}`, report);
    }
  }

  private isReferable(name: string): boolean {
    const parameters = isObject(this.template.Parameters) ? this.template.Parameters : {};
    return name in this.resources || name in parameters || PSEUDO_PARAMETERS.has(name);
  }

  private checkGetAtt(args: Json): string | undefined {
    let target: Json;
    let attribute: Json;
    if (typeof args === 'string' && args.includes('.')) {
      [target, attribute] = [args.slice(0, args.indexOf('.')), args.slice(args.indexOf('.') + 1)];
    } else if (Array.isArray(args) && args.length === 2) {
      [target, attribute] = args;
    } else {
      return `Fn::GetAtt takes [logicalId, attribute], got ${describe(args)}`;
    }
    if (typeof target !== 'string') return undefined;
    const resource = this.resources[target];
    if (!isObject(resource)) return `Fn::GetAtt names \`${target}\`, which is not a resource of this template`;
    const type = resource.Type;
    if (typeof attribute !== 'string' || typeof type !== 'string') return undefined;
    const attributes = this.spec.resource(type)?.attributes;
    if (attributes === undefined || type === CUSTOM_RESOURCE) return undefined; // custom resources return any attribute
    // A nested stack's outputs are its attributes: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-stack.html
    if (type === 'AWS::CloudFormation::Stack' && attribute.startsWith('Outputs.')) return undefined;
    if (!attributes.includes(attribute)) {
      return `Fn::GetAtt: ${type} has no attribute \`${attribute}\`${suggest(attribute, attributes)}`;
    }
    return undefined;
  }

  /** The problems of `value` as an object of the given properties (a resource's, or a property type's). */
  private checkObject(value: JsonObject, properties: Record<string, PropertySpec>, owner: string, path: string,
    openEnded = false): Problem[] {
    const problems: Problem[] = [];
    const names = Object.keys(properties);
    for (const [name, spec] of Object.entries(properties)) {
      if (spec.required && isAbsent(value[name])) {
        const miscased = Object.keys(value).find(k => k !== name && k.toLowerCase() === name.toLowerCase());
        const hint = miscased ? `; \`${miscased}\` is given instead (names are case-sensitive)` : '';
        problems.push({ path: `${path}.${name}`, message: `required property of ${owner} is missing${hint}` });
      }
    }
    for (const [name, item] of Object.entries(value)) {
      const spec = properties[name];
      if (spec === undefined) {
        if (!openEnded) {
          problems.push({ path: `${path}.${name}`, message: `${owner} has no property \`${name}\`${suggest(name, names, true)}` });
        }
        continue;
      }
      problems.push(...this.checkValue(item, spec.type, `${path}.${name}`, owner));
    }
    return problems;
  }

  /** The problems of `value` as a value of `type`; `owner` names the resource type for messages. */
  private checkValue(value: Json, type: SpecType, path: string, owner: string): Problem[] {
    if (isIntrinsic(value)) return [];
    const wrong = (): Problem[] => [{ path, message: `expected ${this.typeName(type)}, got ${describe(value)}` }];
    switch (type.type) {
      case 'string': {
        if (!isScalar(value)) return wrong();
        return outside(String(value), type.allowedValues, path);
      }
      case 'integer': {
        if (!isInteger(value)) return wrong();
        return outside(Number(value), type.allowedValues, path);
      }
      case 'number':
        return isNumber(value) ? [] : wrong();
      case 'boolean':
        return isBoolean(value) ? [] : wrong();
      case 'date-time':
        return typeof value === 'string' ? [] : wrong();
      case 'null':
        return value === null ? [] : wrong();
      case 'json':
        return isObject(value) || Array.isArray(value) ? [] : wrong();
      case 'tag': {
        if (!isObject(value)) return wrong();
        const tag = { Key: { type: { type: 'string' }, required: true }, Value: { type: { type: 'string' }, required: true } } as const;
        return this.checkObject(value, tag, 'Tag', path);
      }
      case 'array':
        if (!Array.isArray(value)) return wrong();
        return value.flatMap((item, i) => this.checkValue(item, type.element, `${path}[${i}]`, owner));
      case 'map':
        if (!isObject(value)) return wrong();
        return Object.entries(value).flatMap(([key, item]) => this.checkValue(item, type.element, `${path}.${key}`, owner));
      case 'ref': {
        const definition = this.spec.propertyType(type.reference.$ref);
        if (definition === undefined) return []; // the database always resolves; nothing to check against otherwise
        if (!isObject(value)) return wrong();
        return this.checkObject(value, definition.properties, `${resourcePart(owner)}.${definition.name}`, path);
      }
      case 'union': {
        // Valid when one member accepts it; else the problems of the member closest to it.
        const attempts = type.types.map(member => this.checkValue(value, member, path, owner));
        if (attempts.some(a => a.length === 0)) return [];
        const sameShape = attempts.filter(a => !isShapeMismatch(a, path));
        if (sameShape.length === 0) return wrong();
        return sameShape.reduce((best, a) => (a.length < best.length ? a : best));
      }
    }
  }

  private typeName(type: SpecType): string {
    switch (type.type) {
      case 'string': return 'a String';
      case 'integer': return 'an Integer';
      case 'number': return 'a Number';
      case 'boolean': return 'a Boolean';
      case 'date-time': return 'a timestamp (String)';
      case 'null': return 'null';
      case 'json': return 'a JSON object';
      case 'tag': return 'a Tag { Key, Value }';
      case 'array': return `a List of ${this.typeName(type.element).replace(/^an? /, '')}`;
      case 'map': return `a Map of ${this.typeName(type.element).replace(/^an? /, '')}`;
      case 'ref': return `a ${this.spec.propertyType(type.reference.$ref)?.name ?? 'property type'} object`;
      case 'union': return type.types.map(t => this.typeName(t)).join(' or ');
    }
  }
}

/** A property type's owner is `AWS::S3::Bucket` or `AWS::S3::Bucket.LifecycleConfiguration`: keep the resource part. */
function resourcePart(owner: string): string {
  return owner.split('.')[0];
}

function isShapeMismatch(problems: Problem[], path: string): boolean {
  return problems.length === 1 && problems[0].path === path && problems[0].message.startsWith('expected ');
}

function outside<T extends string | number>(value: T, allowed: T[] | undefined, path: string): Problem[] {
  if (allowed === undefined || allowed.includes(value)) return [];
  return [{ path, message: `${JSON.stringify(value)} is not an allowed value; allowed: ${allowed.map(a => JSON.stringify(a)).join(', ')}` }];
}

// Literal types the way CloudFormation takes them: it converts a value to the declared type when it
// can, so "10" and 10 are the same Integer and "true" is a Boolean ("CloudFormation allows types to
// work interchangeably as long as a conversion can be done (Example: "10" and 10 are equivalent)",
// AWS's own linter: https://github.com/aws-cloudformation/cfn-lint/blob/main/docs/cfn-schema-specification.md;
// its non-strict type check, src/cfnlint/jsonschema/_keywords_cfn.py, accepts any scalar for a String,
// "true"/"True"/"false"/"False" for a Boolean). One step stricter than cfn-lint: 1.5 is not an Integer
// (cfn-lint truncates it with Python's int(); the resource handler receives "1.5" and cannot parse it).

function isScalar(value: Json): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isInteger(value: Json): boolean {
  return (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^-?\d+$/.test(value));
}

function isNumber(value: Json): boolean {
  return (typeof value === 'number' && Number.isFinite(value))
    || (typeof value === 'string' && /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(value));
}

function isBoolean(value: Json): boolean {
  return typeof value === 'boolean' || ['true', 'false', 'True', 'False'].includes(value as string);
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{ Ref: … }` or `{ "Fn::…": … }`: a value CloudFormation computes at deploy time. */
function isIntrinsic(value: Json | undefined): boolean {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

/** Missing, or `{ Ref: AWS::NoValue }`, which CloudFormation treats as missing. */
function isAbsent(value: Json | undefined): boolean {
  return value === undefined || (isObject(value) && value.Ref === 'AWS::NoValue' && Object.keys(value).length === 1);
}

function describe(value: Json | undefined): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** " (did you mean `X`?)" for a name that differs only in case, or else lists a short set of names. */
function suggest(name: string, names: string[], listShortSets = false): string {
  const sameLetters = names.find(n => n.toLowerCase() === name.toLowerCase());
  if (sameLetters) return `; did you mean \`${sameLetters}\`? (names are case-sensitive)`;
  if (listShortSets && names.length > 0 && names.length <= 12) return `; it has ${[...names].sort().join(', ')}`;
  return '';
}
