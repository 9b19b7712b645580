import * as crypto from 'crypto';
import { Annotations, Lazy, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { FlowLogQuery } from './flow-log-query';
import { FlowLogFormat } from '../capture/flow-log-format';
import { stackSingleton } from '../private/stack-singleton';

/** How many log groups one Logs Insights query may read (StartQuery's limit). */
const MAX_LOG_GROUPS = 50;

/**
 * The saved CloudWatch Logs Insights queries of a stack's watches: one set per stack and record
 * format, shared by every `FlowLogWatch` of that format in the stack (each query reads all their
 * log groups; `@log` tells them apart), so that a stack of many watches does not grow by a dozen
 * resources per watch.
 *
 * Created with the queries of `FlowLogQuery.ALL` that the format can answer; an info message
 * names the ones left out. Named `FlowLogs/<stack name>/<title>` (Logs Insights shows the
 * `/`-separated name as folders), with a format folder for formats other than `FlowLogFormat.KIT`.
 */
export class FlowLogQueries extends Construct {
  /**
   * The scope's stack's queries for records of this format, created on first use.
   */
  public static of(scope: IConstruct, format: FlowLogFormat): FlowLogQueries {
    const id = format.renderLogFormat() === FlowLogFormat.KIT.renderLogFormat() ? 'FlowLogQueries' : `FlowLogQueries${formatHash(format)}`;
    return stackSingleton(scope, id, (c): c is FlowLogQueries => c instanceof FlowLogQueries,
      (stack, singletonId) => new FlowLogQueries(stack, singletonId, format));
  }

  /** The record format the queries parse. */
  public readonly format: FlowLogFormat;

  /** The query definitions, in the order they were added. */
  public readonly queryDefinitions: logs.CfnQueryDefinition[] = [];

  private readonly folder: string;
  private readonly logGroupNames: string[] = [];

  private constructor(scope: Stack, id: string, format: FlowLogFormat) {
    super(scope, id);
    this.format = format;
    const formatFolder = id === 'FlowLogQueries' ? '' : `/format-${formatHash(format)}`;
    this.folder = `FlowLogs/${scope.stackName}${formatFolder}`;
    const supported = FlowLogQuery.ALL.filter(q => q.supports(format));
    supported.forEach(q => this.addQuery(q));
    const left = FlowLogQuery.ALL.filter(q => !supported.includes(q));
    if (left.length > 0) {
      Annotations.of(this).addInfo('queries left out, their fields are not in the format: '
        + `${left.map(q => `${q.title} (needs ${q.missingFields(format).join(', ')})`).join('; ')}`);
    }
    this.node.addValidation({
      validate: () => (this.logGroupNames.length > MAX_LOG_GROUPS
        ? [`${this.logGroupNames.length} log groups share the saved queries of ${this.node.path}, and a Logs Insights query reads at most `
          + `${MAX_LOG_GROUPS}: set queryDefinitions: false on some watches, or spread them over more stacks`]
        : []),
    });
  }

  /**
   * Adds a log group to every query of the set.
   */
  public addLogGroup(logGroup: logs.ILogGroup): void {
    if (!this.logGroupNames.includes(logGroup.logGroupName)) {
      this.logGroupNames.push(logGroup.logGroupName);
    }
  }

  /**
   * Saves one more query, on every log group of the set.
   *
   * @throws when the format lacks a field the query reads, or the set already has a query of that ID
   */
  public addQuery(query: FlowLogQuery): logs.CfnQueryDefinition {
    const missing = query.missingFields(this.format);
    if (missing.length > 0) {
      throw new Error(`addQuery: query '${query.title}' reads ${missing.join(', ')}, which the logFormat does not record`);
    }
    if (this.node.tryFindChild(query.id)) {
      throw new Error(`addQuery: ${this.node.path} already has the query '${query.id}'`);
    }
    const definition = new logs.CfnQueryDefinition(this, query.id, {
      name: `${this.folder}/${query.title}`,
      queryString: query.renderQuery(this.format),
      logGroupNames: Lazy.list({ produce: () => this.logGroupNames }),
    });
    this.queryDefinitions.push(definition);
    return definition;
  }
}

function formatHash(format: FlowLogFormat): string {
  return crypto.createHash('sha256').update(format.renderLogFormat()).digest('hex').slice(0, 8);
}
