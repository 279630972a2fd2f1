import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { Skyscale } from '../../../infra/skyscale.ts';
import { KarpenterMetrics, METRICS_NAMESPACE, RunMetrics } from '../../../lib/metrics/index.ts';
import {
  checkInsightsQuery,
  checkMetricStat,
  checkSearchExpression,
  emittedMetrics,
  MetricQueryError,
  parseInsightsQuery,
  type EmittedMetrics,
} from './metric-queries.ts';

const CLUSTER = 'prod';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A template value as a string, with `Fn::Join`s joined and other intrinsics as `TOKEN`. */
function joined(value: Json): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && !Array.isArray(value) && 'Fn::Join' in value) {
    const [separator, parts] = value['Fn::Join'] as [string, Json[]];
    return parts.map(joined).join(separator);
  }
  return 'TOKEN';
}

interface Queries {
  readonly insights: string[];
  readonly searches: string[];
  readonly stats: { namespace: string; metric: string; dimensions: Record<string, string> }[];
}

/** Every query the synthesized dashboards and alarms run on Skyscale's namespace. */
function queriesOf(template: Template): Queries {
  const queries: Queries = { insights: [], searches: [], stats: [] };
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as {
    Properties: { Metrics?: { Expression?: string; MetricStat?: { Metric: Json } }[] };
  }[];
  for (const { Properties } of alarms)
    for (const { Expression, MetricStat } of Properties.Metrics ?? []) {
      if (Expression?.startsWith('SELECT')) queries.insights.push(Expression);
      const metric = MetricStat?.Metric as
        | { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: string }[] }
        | undefined;
      if (metric?.Namespace === METRICS_NAMESPACE)
        queries.stats.push({
          namespace: metric.Namespace,
          metric: metric.MetricName,
          dimensions: Object.fromEntries(metric.Dimensions.map(({ Name, Value }) => [Name, Value])),
        });
    }
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as {
    Properties: { DashboardBody: Json };
  }[];
  for (const { Properties } of dashboards) {
    const body = JSON.parse(joined(Properties.DashboardBody)) as {
      widgets: { properties: { metrics?: Json[][] } }[];
    };
    for (const line of body.widgets.flatMap(({ properties }) => properties.metrics ?? [])) {
      const [first] = line;
      if (first && typeof first === 'object' && !Array.isArray(first)) {
        const expression = first['expression'];
        if (typeof expression === 'string') queries.searches.push(expression);
        continue;
      }
      const names = line.filter((part): part is string => typeof part === 'string');
      const [namespace = '', metric = '', ...pairs] = names;
      if (namespace !== METRICS_NAMESPACE) continue;
      const dimensions: Record<string, string> = {};
      for (let index = 0; index + 1 < pairs.length; index += 2)
        dimensions[pairs[index] ?? ''] = pairs[index + 1] ?? '';
      queries.stats.push({ namespace, metric, dimensions });
    }
  }
  return queries;
}

describe('the dashboard’s and alarms’ queries, checked offline', { timeout: 60_000 }, () => {
  let emitted: EmittedMetrics;
  let queries: Queries;

  beforeAll(() => {
    emitted = emittedMetrics(process.cwd());
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Stack');
    new Skyscale(stack, 'Skyscale', {
      clusterName: CLUSTER,
      clusterEndpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
      clusterCertificateAuthority: 'Q0EtREFUQQ==',
    });
    queries = queriesOf(Template.fromStack(stack));
  }, 60_000);

  it('runs Metrics Insights queries that parse, on metrics and dimensions the functions emit, for the cluster only', () => {
    // Assess
    expect(queries.insights.length).toBeGreaterThanOrEqual(2);
    for (const query of queries.insights) checkInsightsQuery(query, emitted, CLUSTER);
  });

  it('graphs SEARCH expressions and metrics that the functions emit, for the cluster only', () => {
    // Assess
    expect(queries.searches.length).toBeGreaterThanOrEqual(10);
    expect(queries.stats.length).toBeGreaterThanOrEqual(6);
    for (const search of queries.searches) checkSearchExpression(search, emitted, CLUSTER);
    for (const stat of queries.stats) checkMetricStat(stat, emitted, CLUSTER);
  });

  it('knows the metrics the code records, with the cluster and service beside their own dimensions', () => {
    // Assess
    expect(emitted.get(KarpenterMetrics.nodeClaimsTerminated)).toEqual(
      new Set(['cluster', 'service', 'nodepool', 'capacity_type']),
    );
    expect(emitted.get(RunMetrics.nodePoolCost)).toEqual(
      new Set(['cluster', 'service', 'nodepool']),
    );
    expect(emitted.has(KarpenterMetrics.podsStartupDuration)).toBe(true);
  });

  it('parses the documented clauses', () => {
    // Act
    const parsed = parseInsightsQuery(
      `select avg("karpenter_nodepools_usage") from schema("Skyscale", cluster, "service", nodepool, resource_type) where cluster = 'prod' AND nodepool != 'gpu' group by nodepool order by max() desc limit 10`,
    );

    // Assess
    expect(parsed).toEqual({
      aggregate: 'AVG',
      metric: 'karpenter_nodepools_usage',
      namespace: 'Skyscale',
      schema: ['cluster', 'service', 'nodepool', 'resource_type'],
      where: [
        { key: 'cluster', operator: '=', value: 'prod' },
        { key: 'nodepool', operator: '!=', value: 'gpu' },
      ],
      groupBy: ['nodepool'],
    });
  });

  it.each([
    [
      'a metric nobody emits',
      `SELECT MAX("PendingPodz") FROM SCHEMA("Skyscale", "cluster", "service") WHERE cluster = 'prod'`,
      'no function emits the metric "PendingPodz"',
    ],
    [
      'a dimension set the metric is not emitted with',
      `SELECT MAX("NodePoolRegistrationUnhealthy") FROM SCHEMA("Skyscale", "cluster", "service") WHERE cluster = 'prod'`,
      'is emitted with dimensions [cluster, nodepool, service], not [cluster, service]',
    ],
    [
      'a filter on a dimension outside the schema',
      `SELECT MAX("PendingPods") FROM SCHEMA("Skyscale", "cluster", "service") WHERE cluster = 'prod' AND nodepool = 'a'`,
      'has no dimension "nodepool"',
    ],
    [
      'no filter on the cluster',
      `SELECT MAX("PendingPods") FROM SCHEMA("Skyscale", "cluster", "service")`,
      "does not keep to cluster 'prod'",
    ],
    [
      'another cluster',
      `SELECT MAX("PendingPods") FROM SCHEMA("Skyscale", "cluster", "service") WHERE cluster = 'staging'`,
      "does not keep to cluster 'prod'",
    ],
    [
      'a function Metrics Insights lacks',
      `SELECT P90("PendingPods") FROM SCHEMA("Skyscale", "cluster", "service") WHERE cluster = 'prod'`,
      '"P90" is not one of AVG, COUNT, MAX, MIN, SUM',
    ],
    [
      'a value in double quotes',
      `SELECT MAX("PendingPods") FROM SCHEMA("Skyscale", "cluster", "service") WHERE cluster = "prod"`,
      'expected a dimension value in single quotes',
    ],
    [
      'a missing FROM',
      `SELECT MAX("PendingPods") WHERE cluster = 'prod'`,
      'expected FROM, found "WHERE"',
    ],
    [
      'another namespace',
      `SELECT MAX("PendingPods") FROM SCHEMA("Karpenter", "cluster", "service") WHERE cluster = 'prod'`,
      'namespace "Karpenter" is not Skyscale',
    ],
  ])('refuses a Metrics Insights query with %s', (_case, query, message) => {
    // Act
    const check = () => checkInsightsQuery(query, emitted, CLUSTER);

    // Assess
    expect(check).toThrow(MetricQueryError);
    expect(check).toThrow(message);
  });

  it.each([
    [
      'a schema missing the cluster',
      `SEARCH('{"Skyscale","service","nodepool"} cluster="prod" MetricName="NodePoolCostUSDPerHour"', 'Maximum', 60)`,
      'not [nodepool, service]',
    ],
    [
      'no cluster term',
      `SEARCH('{"Skyscale","cluster","service","nodepool"} MetricName="NodePoolCostUSDPerHour"', 'Maximum', 60)`,
      'does not keep to cluster="prod"',
    ],
    [
      'an unknown statistic',
      `SEARCH('{"Skyscale","cluster","service","nodepool"} cluster="prod" MetricName="NodePoolCostUSDPerHour"', 'Median', 60)`,
      '"Median" is not a CloudWatch statistic',
    ],
  ])('refuses a SEARCH expression with %s', (_case, expression, message) => {
    // Act
    const check = () => checkSearchExpression(expression, emitted, CLUSTER);

    // Assess
    expect(check).toThrow(message);
  });

  it('refuses a graphed metric without its cluster', () => {
    // Act
    const check = () =>
      checkMetricStat(
        { namespace: 'Skyscale', metric: 'Runs', dimensions: { service: 'x', trigger: 'tick' } },
        emitted,
        CLUSTER,
      );

    // Assess
    expect(check).toThrow('Runs is emitted with dimensions [cluster, service, trigger]');
  });
});
