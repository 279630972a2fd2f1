import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  SearchExpression,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import {
  FunctionServices,
  KarpenterMetrics,
  METRICS_NAMESPACE,
  MetricDimension,
  RunMetrics,
  RunTrigger,
  type MetricName,
} from '../../lib/metrics/constants.ts';

export interface ObservabilityProps {
  /** @default a name CloudFormation generates */
  readonly dashboardName?: string;
  /** How long the oldest pending pod may wait before its alarm fires. */
  readonly pendingPodAlarmAge: Duration;
}

/** The share of failed runs, in each of three 5-minute periods, that raises the alarm. */
const RUN_FAILURE_RATE_THRESHOLD = 0.5;

const PERIOD = Duration.minutes(1);
const SERVICE = 'service';

/** Every series of `metric` whatever its dimension values, for graphs (alarms take no SEARCH). */
function search(
  metric: MetricName,
  dimensions: readonly string[],
  statistic: string,
  label: string,
) {
  const schema = [METRICS_NAMESPACE, SERVICE, ...dimensions].map((name) => `"${name}"`).join(',');
  return new SearchExpression({
    expression: `SEARCH('{${schema}} MetricName="${metric}"', '${statistic}', ${PERIOD.toSeconds()})`,
    label,
    period: PERIOD,
  });
}

/** A Metrics Insights query: one series, the aggregate over every series of `metric`, which an alarm may watch. */
function insights(
  metric: MetricName,
  dimensions: readonly string[],
  aggregate: string,
): MathExpression {
  const schema = [METRICS_NAMESPACE, SERVICE, ...dimensions].map((name) => `"${name}"`).join(', ');
  return new MathExpression({
    expression: `SELECT ${aggregate}("${metric}") FROM SCHEMA(${schema})`,
    period: PERIOD,
  });
}

function runMetric(
  metric: MetricName,
  trigger: keyof typeof RunTrigger,
  statistic: string,
): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: metric,
    dimensionsMap: { [SERVICE]: FunctionServices[trigger], [MetricDimension.trigger]: trigger },
    statistic,
    period: PERIOD,
    label: trigger,
  });
}

const TRIGGERS = Object.keys(RunTrigger) as (keyof typeof RunTrigger)[];

/**
 * Skyscale's CloudWatch dashboard and the alarms on its metrics: pending pods, runs and their
 * durations by trigger, launches and failures, interruptions, disruptions by reason and NodePool
 * usage; an alarm when the oldest pending pod waits too long, when runs keep failing, and when a
 * NodePool's NodeRegistrationHealthy is False (its nodes launch and never join).
 */
export class Observability extends Construct {
  readonly dashboard: Dashboard;
  readonly pendingPodsAlarm: Alarm;
  readonly runFailureRateAlarm: Alarm;
  readonly registrationHealthAlarm: Alarm;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const runs = (statistic: string): IMetric[] =>
      TRIGGERS.map((trigger) => runMetric(RunMetrics.runs, trigger, statistic));
    const graph = (title: string, left: IMetric[], right: IMetric[] = []) =>
      new GraphWidget({ title, left, right, width: 12, height: 6 });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      widgets: [
        [
          graph(
            'Pending pods and the oldest one’s age (s)',
            [search(RunMetrics.pendingPods, [], 'Maximum', 'pending pods')],
            [search(RunMetrics.oldestPendingPodAge, [], 'Maximum', 'oldest (s)')],
          ),
          graph(
            'Runs and their durations (s) by trigger',
            runs('Sum'),
            TRIGGERS.map((trigger) => runMetric(RunMetrics.runDuration, trigger, 'Maximum')),
          ),
        ],
        [
          graph('Launches by NodePool, and cloud provider errors', [
            search(KarpenterMetrics.nodeClaimsCreated, ['nodepool', 'reason'], 'Sum', 'created'),
            search(KarpenterMetrics.cloudProviderErrors, ['controller', 'method'], 'Sum', 'errors'),
          ]),
          graph('Interruption messages by type', [
            search(
              KarpenterMetrics.interruptionReceivedMessages,
              ['message_type'],
              'Sum',
              'received',
            ),
          ]),
        ],
        [
          graph('Disruptions by reason and NodePool', [
            search(
              KarpenterMetrics.nodeClaimsDisrupted,
              ['nodepool', 'reason'],
              'Sum',
              'disrupted',
            ),
          ]),
          graph('NodePool usage against limits', [
            search(
              KarpenterMetrics.nodePoolUsage,
              ['nodepool', 'resource_type'],
              'Maximum',
              'usage',
            ),
            search(
              KarpenterMetrics.nodePoolLimit,
              ['nodepool', 'resource_type'],
              'Maximum',
              'limit',
            ),
          ]),
        ],
      ],
    });

    this.pendingPodsAlarm = new Alarm(this, 'PendingPodsAlarm', {
      alarmDescription: `A pod has waited for a node longer than ${props.pendingPodAlarmAge.toHumanString()}: see skyscale status and the provisioner's logs.`,
      metric: insights(RunMetrics.oldestPendingPodAge, [], 'MAX'),
      threshold: props.pendingPodAlarmAge.toSeconds(),
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    const failures = Object.fromEntries(
      TRIGGERS.map((trigger) => [`f${trigger}`, runMetric(RunMetrics.runFailures, trigger, 'Sum')]),
    );
    const attempts = Object.fromEntries(
      TRIGGERS.map((trigger) => [`r${trigger}`, runMetric(RunMetrics.runs, trigger, 'Sum')]),
    );
    const sum = (ids: string[]) => ids.map((metricId) => `FILL(${metricId}, 0)`).join(' + ');
    this.runFailureRateAlarm = new Alarm(this, 'RunFailureRateAlarm', {
      alarmDescription:
        'Skyscale runs keep failing (share of failed runs over 15 minutes): read the functions’ logs.',
      metric: new MathExpression({
        expression: `(${sum(Object.keys(failures))}) / MAX([${sum(Object.keys(attempts))}, 1])`,
        usingMetrics: { ...failures, ...attempts },
        period: Duration.minutes(5),
        label: 'failed share of runs',
      }),
      threshold: RUN_FAILURE_RATE_THRESHOLD,
      evaluationPeriods: 3,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    this.registrationHealthAlarm = new Alarm(this, 'RegistrationHealthAlarm', {
      alarmDescription:
        'A NodePool’s NodeRegistrationHealthy is False: its nodes launch but do not join the cluster (kubectl describe nodepool).',
      metric: insights(RunMetrics.nodePoolRegistrationUnhealthy, ['nodepool'], 'MAX'),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }

  get alarms(): readonly Alarm[] {
    return [this.pendingPodsAlarm, this.runFailureRateAlarm, this.registrationHealthAlarm];
  }
}
