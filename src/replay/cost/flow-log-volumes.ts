import { BYTES_PER_GB, FlowLogVolume } from './cost-estimate';
import { RecordVolume } from './record-volume';
import { InventoryFlowLog, InventoryResource, TemplateInventory } from './template-inventory';

/**
 * Bytes per field of a flow-log record, on average: measured on the 194 third-party records of
 * shared/flowlogs (29,214 bytes in 3,398 fields, separators included). Used to count events
 * (Contributor Insights bills per matched event) when only a GB-per-day figure is given.
 */
export const BYTES_PER_FIELD = 8.6;

/** What the user said about volume. */
export interface VolumeInputs {
  /** GB per day of every flow log's target (`--gb-per-day N`). */
  readonly defaultGbPerDay?: number;
  /** GB per day by flow log or log group (logical ID or construct path): `--gb-per-day KEY=N`. */
  readonly gbPerDay?: Record<string, number>;
  /** Records measured, and the log group they come from (logical ID or path; the only one when absent). */
  readonly measured?: { readonly volume: RecordVolume; readonly logGroup?: string };
  /** Average bytes of a record, to count events from GB. @default - BYTES_PER_FIELD × the flow log's field count */
  readonly recordBytes?: number;
}

export interface ResolvedVolumes {
  /** By flow log logical ID. */
  readonly volumes: Record<string, FlowLogVolume>;
  /** Measured Contributor Insights match fractions, by rule logical ID. */
  readonly insightMatchFractions: Record<string, number>;
}

/**
 * Gives every flow log of the template a volume. Two flow logs of the same target (e.g. a
 * watch's log-group flow log and its S3 archive flow log) carry the same records, so a volume
 * is given to a target and shared by its flow logs.
 */
export function resolveVolumes(inventory: TemplateInventory, inputs: VolumeInputs): ResolvedVolumes {
  requireFlowLogs(inventory);
  const targetOf = (f: InventoryFlowLog) => `${f.target} ${f.trafficType}`;
  const byTarget = new Map<string, FlowLogVolume>();
  const bytesPerRecord = (f: InventoryFlowLog) => inputs.recordBytes ?? BYTES_PER_FIELD * f.fieldNames.length;
  const fromGb = (f: InventoryFlowLog, gbPerDay: number, origin: string): FlowLogVolume =>
    ({ gbPerDay, eventsPerDay: gbPerDay * BYTES_PER_GB / bytesPerRecord(f), origin });

  if (inputs.defaultGbPerDay !== undefined) {
    for (const f of inventory.flowLogs) byTarget.set(targetOf(f), fromGb(f, inputs.defaultGbPerDay, `--gb-per-day ${inputs.defaultGbPerDay}`));
  }
  // The --gb-per-day KEY=N that gave each target its volume: two keys naming one target are an error.
  const keyOf = new Map<string, string>();
  for (const [key, gbPerDay] of Object.entries(inputs.gbPerDay ?? {})) {
    const flowLog = singleTarget(inventory, key, '--gb-per-day');
    const earlier = keyOf.get(targetOf(flowLog));
    if (earlier !== undefined) {
      throw new Error(`\`--gb-per-day\` '${earlier}' and '${key}=${gbPerDay}' both give the volume of ${describeTarget(inventory, flowLog)}; give one`);
    }
    keyOf.set(targetOf(flowLog), `${key}=${gbPerDay}`);
    byTarget.set(targetOf(flowLog), fromGb(flowLog, gbPerDay, `--gb-per-day ${key}=${gbPerDay}`));
  }

  const insightMatchFractions: Record<string, number> = {};
  if (inputs.measured) {
    const { volume } = inputs.measured;
    const flowLog = measuredFlowLog(inventory, inputs.measured.logGroup);
    const given = keyOf.get(targetOf(flowLog));
    if (given !== undefined) {
      throw new Error(`records and \`--gb-per-day\` ${given} both give the volume of ${describeTarget(inventory, flowLog)}; give one`);
    }
    if (volume.records === 0) throw new Error('the records hold no flow-log record: nothing to measure');
    if (volume.spanSeconds < 60) {
      throw new Error(`the records span ${volume.spanSeconds} s: at least a minute is needed to measure a daily volume (or give --gb-per-day)`);
    }
    const days = volume.spanSeconds / 86_400;
    byTarget.set(targetOf(flowLog), {
      gbPerDay: volume.bytes / BYTES_PER_GB / days,
      eventsPerDay: volume.records / days,
      origin: `measured: ${volume.records.toLocaleString('en-US')} records, ${volume.bytes.toLocaleString('en-US')} bytes over `
        + `${formatDuration(volume.spanSeconds)} (${volume.from} .. ${volume.to}), scaled to a day`,
    });
    const groupId = flowLog.logGroup;
    for (const rule of inventory.insightRules.filter(r => groupId !== undefined && r.logGroups.includes(groupId))) {
      const matched = volume.insightMatches[rule.logicalId];
      if (matched !== undefined) insightMatchFractions[rule.logicalId] = matched / volume.records;
    }
  }

  const volumes: Record<string, FlowLogVolume> = {};
  const missing: string[] = [];
  for (const f of inventory.flowLogs) {
    const volume = byTarget.get(targetOf(f));
    if (volume) volumes[f.logicalId] = volume;
    else missing.push(`${nameOf(f)}${f.logGroup ? ` (to ${f.logGroup})` : f.s3 ? ' (to S3)' : ''}`);
  }
  if (missing.length > 0) {
    throw new Error(`no volume for the flow log(s) ${missing.join(', ')}: give --gb-per-day N (every flow log), `
      + '--gb-per-day KEY=N (a flow log or log group), or records');
  }
  return { volumes, insightMatchFractions };
}

function requireFlowLogs(inventory: TemplateInventory): void {
  if (inventory.flowLogs.length === 0) {
    throw new Error('the template has no AWS::EC2::FlowLog: there is nothing to estimate');
  }
}

/**
 * The flow log that records come from: the one `logGroup` names (a log group's logical ID or
 * construct path, or a flow log's), or, without it, the one flow log's log group of the template.
 * Throws when it names nothing (listing the names known), or several targets, or none is given
 * and the template has several log groups.
 */
export function measuredFlowLog(inventory: TemplateInventory, logGroup: string | undefined): InventoryFlowLog {
  requireFlowLogs(inventory);
  return singleTarget(inventory, logGroup ?? onlyLogGroup(inventory), '--log-group');
}

/** A flow log's target, for a message: its log group (or S3), and the flow logs that deliver its records. */
function describeTarget(inventory: TemplateInventory, flowLog: InventoryFlowLog): string {
  const group = inventory.logGroups.find(g => g.logicalId === flowLog.logGroup);
  return `${nameOf(flowLog)} (${flowLog.logGroup !== undefined ? `to ${group ? nameOf(group) : flowLog.logGroup}` : 'to S3'})`;
}

function nameOf(r: InventoryResource): string {
  return r.path ?? r.logicalId;
}

/** Whether `key` names a resource: its logical ID, or its construct path with or without the stack's name. */
function names(resource: InventoryResource, key: string): boolean {
  return resource.logicalId === key || (resource.path !== undefined && (resource.path === key || key.endsWith(`/${resource.path}`)));
}

/** The one target's flow log that `key` names: the flow log itself, or the log group its flow logs deliver to. */
function singleTarget(inventory: TemplateInventory, key: string, option: string): InventoryFlowLog {
  const direct = inventory.flowLogs.filter(f => names(f, key));
  const group = inventory.logGroups.find(g => names(g, key));
  const groupId = group?.logicalId ?? key;
  const delivering = inventory.flowLogs.filter(f => f.logGroup === groupId);
  const candidates = direct.length > 0 ? direct : delivering;
  if (candidates.length === 0) {
    const known = [...inventory.flowLogs.map(nameOf), ...inventory.logGroups.map(nameOf)];
    throw new Error(`\`${option}\` '${key}' names no flow log or log group of the template; known: ${known.join(', ')}`);
  }
  const targets = new Set(candidates.map(f => `${f.target} ${f.trafficType}`));
  if (targets.size > 1) {
    throw new Error(`\`${option}\` '${key}': several flow logs deliver there (${candidates.map(nameOf).join(', ')}); name one of them`);
  }
  return candidates[0];
}

function onlyLogGroup(inventory: TemplateInventory): string {
  const groups = [...new Set(inventory.flowLogs.filter(f => f.destination === 'cloud-watch-logs').map(f => f.logGroup!))];
  if (groups.length !== 1) {
    const named = groups.map(g => nameOf(inventory.logGroups.find(l => l.logicalId === g) ?? { logicalId: g }));
    throw new Error(groups.length === 0
      ? 'the template has no flow log to CloudWatch Logs: records cannot be placed; give --gb-per-day'
      : `the template's flow logs deliver to ${groups.length} log groups (${named.join(', ')}): say which one the records come from with --log-group`);
  }
  return groups[0];
}

function formatDuration(seconds: number): string {
  if (seconds >= 86_400) return `${Math.round(seconds / 3600 * 10) / 10} h`;
  if (seconds >= 3600) return `${Math.round(seconds / 360) / 10} h`;
  return `${Math.round(seconds / 6) / 10} min`;
}
