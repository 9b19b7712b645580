import { IConstruct } from 'constructs';

/**
 * `<construct path with ->-<suffix>`: the deterministic, readable name of a resource a watch
 * creates (alarms, Contributor Insights rules), unique in the account and Region.
 */
export function watchResourceName(watch: IConstruct, suffix: string): string {
  return `${watch.node.path.replace(/\//g, '-')}-${suffix}`;
}
