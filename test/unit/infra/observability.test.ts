import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { Skyscale, type SkyscaleProps } from '../../../infra/skyscale.ts';
import { FunctionServices, KarpenterMetrics, RunMetrics } from '../../../lib/metrics/index.ts';

type Properties = Record<string, unknown>;
interface AlarmMetric {
  Id: string;
  Expression?: string;
  MetricStat?: { Metric: { MetricName: string; Dimensions: { Name: string; Value: string }[] } };
}

function synthesize(props: Partial<SkyscaleProps> = {}): { stack: Stack; skyscale: Skyscale } {
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Stack');
  const skyscale = new Skyscale(stack, 'Skyscale', {
    clusterName: 'prod',
    clusterEndpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
    clusterCertificateAuthority: 'Q0EtREFUQQ==',
    ...props,
  });
  return { stack, skyscale };
}

interface Widget {
  properties: { title: string; view?: string; metrics: unknown[][] };
}

/** The dashboard's widgets, with the template's Fn::Join (the region) joined. */
function dashboardWidgets(stack: Stack): Widget[] {
  const [dashboard] = Object.values(
    Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'),
  ) as { Properties: { DashboardBody: { 'Fn::Join': [string, unknown[]] } } }[];
  const [separator, parts] = dashboard?.Properties.DashboardBody['Fn::Join'] ?? ['', []];
  const body = parts.map((part) => (typeof part === 'string' ? part : 'REGION')).join(separator);
  return (JSON.parse(body) as { widgets: Widget[] }).widgets;
}

function alarmProperties(stack: Stack, alarm: { node: { defaultChild?: unknown } }): Properties {
  const id = stack.getLogicalId(alarm.node.defaultChild as never);
  const resources = Template.fromStack(stack).toJSON().Resources as Record<
    string,
    { Properties: Properties }
  >;
  const found = resources[id];
  if (!found) throw new Error(`no resource ${id}`);
  return found.Properties;
}

describe('the Skyscale dashboard and alarms', { timeout: 60_000 }, () => {
  let stack: Stack;
  let skyscale: Skyscale;

  beforeAll(() => {
    ({ stack, skyscale } = synthesize());
  });

  it('draws pending pods, runs by trigger, launches and terminations, interruptions, disruptions, pod startup, cost and NodePool usage from the cluster’s metrics', () => {
    // Act
    const dashboards = Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard');
    const [dashboard] = Object.values(dashboards) as { Properties: Properties }[];
    const body = JSON.stringify(dashboard?.Properties['DashboardBody']);

    // Assess
    expect(Object.keys(dashboards)).toHaveLength(1);
    expect(dashboard?.Properties['DashboardName']).toBe('Skyscale-prod');
    for (const metric of [
      RunMetrics.pendingPods,
      RunMetrics.oldestPendingPodAge,
      RunMetrics.runs,
      RunMetrics.runDuration,
      KarpenterMetrics.nodeClaimsCreated,
      KarpenterMetrics.cloudProviderErrors,
      KarpenterMetrics.interruptionReceivedMessages,
      KarpenterMetrics.nodeClaimsDisrupted,
      KarpenterMetrics.nodePoolUsage,
      KarpenterMetrics.nodePoolLimit,
      KarpenterMetrics.nodeClaimsTerminated,
      KarpenterMetrics.podsStartupDuration,
      RunMetrics.nodePoolCost,
    ])
      expect(body).toContain(metric);
    for (const service of [
      FunctionServices.provisioner,
      FunctionServices.tick,
      FunctionServices.interruption,
    ])
      expect(body).toContain(`"service","${service}","trigger"`.replaceAll('"', String.raw`\"`));
  });

  it('charts the cluster’s cost per hour by NodePool, one series per NodePool', () => {
    // Act
    const widget = dashboardWidgets(stack).find(
      ({ properties }) => properties.title === 'Cost per hour by NodePool (USD)',
    );

    // Assess
    expect(widget?.properties.metrics).toEqual([
      [
        {
          expression: `SEARCH('{"Skyscale","cluster","service","nodepool"} cluster="prod" MetricName="${RunMetrics.nodePoolCost}"', 'Maximum', 60)`,
          label: 'USD/hour',
          period: 60,
        },
      ],
    ]);
    expect(widget?.properties.view).toBe('timeSeries');
  });

  it('charts NodeClaims terminated beside those created, and the pods’ startup at p50 and p90', () => {
    // Act
    const widgets = dashboardWidgets(stack);
    const expressions = (title: string) =>
      widgets
        .find(({ properties }) => properties.title === title)
        ?.properties.metrics.map(([line]) => (line as { expression: string }).expression);

    // Assess
    expect(
      expressions('Launches and terminations by NodePool, and cloud provider errors'),
    ).toContain(
      `SEARCH('{"Skyscale","cluster","service","nodepool","capacity_type"} cluster="prod" MetricName="${KarpenterMetrics.nodeClaimsTerminated}"', 'Sum', 60)`,
    );
    expect(expressions('Pod startup duration (s), creation to Ready')).toEqual(
      ['p50', 'p90'].map(
        (statistic) =>
          `SEARCH('{"Skyscale","cluster","service"} cluster="prod" MetricName="${KarpenterMetrics.podsStartupDuration}"', '${statistic}', 60)`,
      ),
    );
  });

  it('reads another cluster’s metrics with that cluster’s name', () => {
    // Prepare
    const other = synthesize({ clusterName: 'staging' });

    // Act
    const alarm = alarmProperties(other.stack, other.skyscale.observability.pendingPodsAlarm);
    const widgets = dashboardWidgets(other.stack);

    // Assess
    expect((alarm['Metrics'] as AlarmMetric[])[0]?.Expression).toMatch(
      / WHERE cluster = 'staging'$/,
    );
    expect(JSON.stringify(widgets)).not.toContain('cluster=\\"prod\\"');
    expect(JSON.stringify(widgets)).toContain('cluster=\\"staging\\"');
  });

  it('alarms when the oldest pending pod has waited over 10 minutes, across every function that provisions', () => {
    // Act
    const alarm = alarmProperties(stack, skyscale.observability.pendingPodsAlarm);

    // Assess
    expect(alarm).toMatchObject({
      Threshold: 600,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      Metrics: [
        {
          Expression: `SELECT MAX("${RunMetrics.oldestPendingPodAge}") FROM SCHEMA("Skyscale", "cluster", "service") WHERE cluster = 'prod'`,
          Period: 60,
        },
      ],
    });
  });

  it('takes the pending pods’ alarm age from the props', () => {
    // Prepare
    const custom = synthesize({ pendingPodAlarmAge: Duration.minutes(3) });

    // Act
    const alarm = alarmProperties(custom.stack, custom.skyscale.observability.pendingPodsAlarm);

    // Assess
    expect(alarm['Threshold']).toBe(180);
  });

  it('alarms when half the runs fail in three 5-minute periods in a row, counting every trigger', () => {
    // Act
    const alarm = alarmProperties(stack, skyscale.observability.runFailureRateAlarm);
    const metrics = alarm['Metrics'] as AlarmMetric[];
    const stats = metrics.flatMap(({ MetricStat }) => (MetricStat ? [MetricStat.Metric] : []));

    // Assess
    expect(alarm).toMatchObject({ Threshold: 0.5, EvaluationPeriods: 3 });
    // A metric whose period differs from the expression's makes CDK override it with a warning.
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('overridden'));
    expect(metrics.find(({ Expression }) => Expression)?.Expression).toMatch(
      /^\(FILL\(f\w+, 0\)( \+ FILL\(f\w+, 0\)){2}\) \/ MAX\(\[FILL\(r\w+, 0\)( \+ FILL\(r\w+, 0\)){2}, 1\]\)$/,
    );
    for (const trigger of ['provisioner', 'tick', 'interruption'] as const)
      for (const metric of [RunMetrics.runs, RunMetrics.runFailures])
        expect(stats).toContainEqual({
          MetricName: metric,
          Namespace: 'Skyscale',
          Dimensions: [
            { Name: 'cluster', Value: 'prod' },
            { Name: 'service', Value: FunctionServices[trigger] },
            { Name: 'trigger', Value: trigger },
          ],
        });
  });

  it('alarms when any NodePool’s NodeRegistrationHealthy is False', () => {
    // Act
    const alarm = alarmProperties(stack, skyscale.observability.registrationHealthAlarm);

    // Assess
    expect(alarm).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Metrics: [
        {
          Expression: `SELECT MAX("${RunMetrics.nodePoolRegistrationUnhealthy}") FROM SCHEMA("Skyscale", "cluster", "service", "nodepool") WHERE cluster = 'prod'`,
        },
      ],
    });
  });

  it('counts the dead-letter queues’ alarms and these three among the alarms the topic hears', () => {
    // Assess
    expect(skyscale.alarms).toEqual([
      skyscale.signalQueue.deadLetterAlarm,
      skyscale.interruption.createdQueue?.deadLetterAlarm,
      ...skyscale.observability.alarms,
    ]);
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 5);
  });
});
