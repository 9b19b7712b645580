import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * CloudFormation's resource schemas as the validator needs them: for each resource type its
 * properties (type, required), its attribute names, and the property types they refer to.
 *
 * The source is `@aws-cdk/aws-service-spec`, the database aws-cdk-lib's L1 classes are generated
 * from (https://github.com/cdklabs/awscdk-service-spec), itself built from CloudFormation's
 * registry schemas. Only a property's current `type` counts, never its `previousTypes`: those
 * record what aws-cdk-lib once accepted, CloudFormation validates against the current schema.
 */
export interface ResourceSpec {
  /** Every resource type the database has, e.g. `AWS::EC2::FlowLog`. */
  resourceTypeNames(): readonly string[];
  resource(type: string): ResourceTypeSpec | undefined;
  /** A property type (`TypeDefinition`) of a resource type already looked up, by the id `{ type: 'ref' }` names. */
  propertyType(id: string): PropertyTypeSpec | undefined;
}

export interface ResourceTypeSpec {
  readonly properties: Record<string, PropertySpec>;
  /** The names `Fn::GetAtt` accepts, e.g. `Arn`, `Endpoint.Address`. */
  readonly attributes: string[];
  /** The property types its properties use, directly or nested, by database id. */
  readonly types: Record<string, PropertyTypeSpec>;
}

export interface PropertyTypeSpec {
  /** Unqualified, e.g. `DestinationOptions`. */
  readonly name: string;
  readonly properties: Record<string, PropertySpec>;
}

export interface PropertySpec {
  readonly type: SpecType;
  readonly required?: boolean;
}

/** The database's property types (`@aws-cdk/service-spec-types` `PropertyType`), as stored. */
export type SpecType =
  | { readonly type: 'string'; readonly allowedValues?: string[] }
  | { readonly type: 'integer'; readonly allowedValues?: number[] }
  | { readonly type: 'number' | 'boolean' | 'json' | 'date-time' | 'null' | 'tag' }
  | { readonly type: 'ref'; readonly reference: { readonly $ref: string } }
  | { readonly type: 'array' | 'map'; readonly element: SpecType }
  | { readonly type: 'union'; readonly types: SpecType[] };

// Bump when the shape of the cache files changes.
const CACHE_FORMAT = 2;
const INDEX = 'index.json';

let loaded: ResourceSpec | undefined;

/**
 * The resource spec, loaded once per test file (jest gives every test file its own module
 * registry). Reading the whole database takes 1.5 to 3 s, so the first test file to need it splits
 * it into a cache directory in the OS temp directory, one small file per resource type, keyed by
 * the database's version and file. Later test files read the index and the few resource types
 * their templates use: a few milliseconds.
 */
export function resourceSpec(): ResourceSpec {
  loaded ??= openCache() ?? inMemory(writeCache(buildFromDatabase()));
  return loaded;
}

type Database = Record<string, ResourceTypeSpec>;

function databaseFile(): string {
  return path.join(path.dirname(require.resolve('@aws-cdk/aws-service-spec/package.json')), 'db.json.gz');
}

function cacheDirectory(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(path.dirname(databaseFile()), 'package.json'), 'utf-8'));
  const db = fs.statSync(databaseFile());
  const key = `${pkg.version}-${db.size}-${Math.floor(db.mtimeMs)}-v${CACHE_FORMAT}`;
  return path.join(os.tmpdir(), `cfn-resource-spec-${key}`);
}

function fileOf(type: string): string {
  return `${type.replace(/::/g, '_')}.json`;
}

function openCache(): ResourceSpec | undefined {
  const directory = cacheDirectory();
  let names: string[];
  try {
    names = JSON.parse(fs.readFileSync(path.join(directory, INDEX), 'utf-8'));
  } catch {
    return undefined;
  }
  const known = new Set(names);
  const resources = new Map<string, ResourceTypeSpec>();
  const types: Record<string, PropertyTypeSpec> = {};
  return {
    resourceTypeNames: () => names,
    resource: type => {
      if (!known.has(type)) return undefined;
      if (!resources.has(type)) {
        const resource: ResourceTypeSpec = JSON.parse(fs.readFileSync(path.join(directory, fileOf(type)), 'utf-8'));
        resources.set(type, resource);
        Object.assign(types, resource.types);
      }
      return resources.get(type);
    },
    propertyType: id => types[id],
  };
}

function inMemory(db: Database): ResourceSpec {
  const types: Record<string, PropertyTypeSpec> = Object.assign({}, ...Object.values(db).map(r => r.types));
  const names = Object.keys(db);
  return { resourceTypeNames: () => names, resource: type => db[type], propertyType: id => types[id] };
}

function writeCache(db: Database): Database {
  const directory = cacheDirectory();
  const partial = `${directory}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(partial, { recursive: true });
    for (const [type, resource] of Object.entries(db)) {
      fs.writeFileSync(path.join(partial, fileOf(type)), JSON.stringify(resource));
    }
    fs.writeFileSync(path.join(partial, INDEX), JSON.stringify(Object.keys(db)));
    // Renamed into place whole, so that a parallel jest worker never reads a half-written cache.
    fs.renameSync(partial, directory);
  } catch {
    // Another worker got there first, or the temp directory is read-only: that only costs speed.
  } finally {
    fs.rmSync(partial, { recursive: true, force: true });
  }
  return db;
}

function buildFromDatabase(): Database {
  // Required here, not imported at the top: with a cache, the database library (~0.1 s) is not loaded at all.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadAwsServiceSpecSync } = require('@aws-cdk/aws-service-spec') as typeof import('@aws-cdk/aws-service-spec');
  const db = loadAwsServiceSpecSync();
  const slim = (properties: Record<string, { type: unknown; required?: boolean }>): Record<string, PropertySpec> =>
    Object.fromEntries(Object.entries(properties).map(([name, p]) =>
      [name, p.required ? { type: p.type as SpecType, required: true } : { type: p.type as SpecType }]));

  const allTypes: Record<string, PropertyTypeSpec> = {};
  for (const definition of db.all('typeDefinition')) {
    allTypes[definition.$id] = { name: definition.name, properties: slim(definition.properties) };
  }
  const result: Database = {};
  for (const resource of db.all('resource')) {
    const properties = slim(resource.properties);
    result[resource.cloudFormationType] = {
      properties,
      attributes: Object.keys(resource.attributes),
      types: closure(Object.values(properties), allTypes),
    };
  }
  return result;
}

/** The property types reachable from these properties. */
function closure(properties: PropertySpec[], allTypes: Record<string, PropertyTypeSpec>): Record<string, PropertyTypeSpec> {
  const found: Record<string, PropertyTypeSpec> = {};
  const visit = (type: SpecType): void => {
    if (type.type === 'ref') {
      const id = type.reference.$ref;
      if (found[id] || !allTypes[id]) return;
      found[id] = allTypes[id];
      Object.values(allTypes[id].properties).forEach(p => visit(p.type));
    } else if (type.type === 'array' || type.type === 'map') {
      visit(type.element);
    } else if (type.type === 'union') {
      type.types.forEach(visit);
    }
  };
  properties.forEach(p => visit(p.type));
  return found;
}
