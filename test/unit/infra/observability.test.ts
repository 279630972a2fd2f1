import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
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

  it('draws pending pods, runs by trigger, launches, interruptions, disruptions and NodePool usage from the metrics the functions write', () => {
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
    ])
      expect(body).toContain(metric);
    expect(body).toContain(
      String.raw`SEARCH('{\\\"Skyscale\\\",\\\"service\\\",\\\"nodepool\\\",\\\"reason\\\"} MetricName=\\\"karpenter_nodeclaims_disrupted_total\\\"', 'Sum', 60)`,
    );
    for (const service of [
      FunctionServices.provisioner,
      FunctionServices.tick,
      FunctionServices.interruption,
    ])
      expect(body).toContain(`"service","${service}","trigger"`.replaceAll('"', String.raw`\"`));
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
          Expression: `SELECT MAX("${RunMetrics.oldestPendingPodAge}") FROM SCHEMA("Skyscale", "service")`,
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
    expect(metrics.find(({ Expression }) => Expression)?.Expression).toMatch(
      /^\(FILL\(f\w+, 0\)( \+ FILL\(f\w+, 0\)){2}\) \/ MAX\(\[FILL\(r\w+, 0\)( \+ FILL\(r\w+, 0\)){2}, 1\]\)$/,
    );
    for (const trigger of ['provisioner', 'tick', 'interruption'] as const)
      for (const metric of [RunMetrics.runs, RunMetrics.runFailures])
        expect(stats).toContainEqual({
          MetricName: metric,
          Namespace: 'Skyscale',
          Dimensions: [
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
          Expression: `SELECT MAX("${RunMetrics.nodePoolRegistrationUnhealthy}") FROM SCHEMA("Skyscale", "service", "nodepool")`,
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
