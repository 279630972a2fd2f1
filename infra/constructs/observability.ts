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
  COMMON_DIMENSIONS,
  FunctionServices,
  KarpenterMetrics,
  METRIC_DIMENSIONS,
  METRICS_NAMESPACE,
  MetricDimension,
  RunMetrics,
  RunTrigger,
  type MetricName,
} from '../../lib/metrics/constants.ts';

export interface ObservabilityProps {
  /** The cluster whose metrics the dashboard and alarms read (their `cluster` dimension). */
  readonly clusterName: string;
  /** @default a name CloudFormation generates */
  readonly dashboardName?: string;
  /** How long the oldest pending pod may wait before its alarm fires. */
  readonly pendingPodAlarmAge: Duration;
}

/** The share of failed runs, in each of three 5-minute periods, that raises the alarm. */
const RUN_FAILURE_RATE_THRESHOLD = 0.5;
const RUN_FAILURE_RATE_PERIOD = Duration.minutes(5);

const PERIOD = Duration.minutes(1);
const { cluster: CLUSTER, service: SERVICE } = MetricDimension;

/** The metric's dimension names: the common ones, then its own. */
const dimensionsOf = (metric: MetricName): readonly string[] => [
  ...COMMON_DIMENSIONS,
  ...METRIC_DIMENSIONS[metric],
];

/** Builds the cluster's graphs and alarm queries over Skyscale's metrics. */
class ClusterMetrics {
  constructor(private readonly clusterName: string) {}

  /** Every series of the cluster's `metric` whatever its other dimensions' values, for graphs (alarms take no SEARCH). */
  search(metric: MetricName, statistic: string, label: string): SearchExpression {
    const schema = [METRICS_NAMESPACE, ...dimensionsOf(metric)]
      .map((name) => `"${name}"`)
      .join(',');
    return new SearchExpression({
      expression: `SEARCH('{${schema}} ${CLUSTER}="${this.clusterName}" MetricName="${metric}"', '${statistic}', ${PERIOD.toSeconds()})`,
      label,
      period: PERIOD,
    });
  }

  /** A Metrics Insights query: one series, the aggregate over every series of the cluster's `metric`, which an alarm may watch. */
  insights(metric: MetricName, aggregate: string): MathExpression {
    const schema = [METRICS_NAMESPACE, ...dimensionsOf(metric)]
      .map((name) => `"${name}"`)
      .join(', ');
    return new MathExpression({
      expression: `SELECT ${aggregate}("${metric}") FROM SCHEMA(${schema}) WHERE ${CLUSTER} = '${this.clusterName}'`,
      period: PERIOD,
    });
  }

  /** One trigger's series of a run metric. */
  run(
    metric: typeof RunMetrics.runs | typeof RunMetrics.runDuration | typeof RunMetrics.runFailures,
    trigger: keyof typeof RunTrigger,
    statistic: string,
  ): Metric {
    return new Metric({
      namespace: METRICS_NAMESPACE,
      metricName: metric,
      dimensionsMap: {
        [CLUSTER]: this.clusterName,
        [SERVICE]: FunctionServices[trigger],
        [MetricDimension.trigger]: trigger,
      },
      statistic,
      period: PERIOD,
      label: trigger,
    });
  }
}

const TRIGGERS = Object.keys(RunTrigger) as (keyof typeof RunTrigger)[];

/**
 * Skyscale's CloudWatch dashboard and the alarms on its metrics, both reading one cluster's
 * metrics (by their `cluster` dimension): pending pods, runs and their durations by trigger,
 * launches, terminations and failures, interruptions, disruptions by reason, pod startup
 * durations, cost per hour and usage by NodePool; an alarm when the oldest pending pod waits too
 * long, when runs keep failing, and when a NodePool's NodeRegistrationHealthy is False (its nodes
 * launch and never join).
 */
export class Observability extends Construct {
  readonly dashboard: Dashboard;
  readonly pendingPodsAlarm: Alarm;
  readonly runFailureRateAlarm: Alarm;
  readonly registrationHealthAlarm: Alarm;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const metrics = new ClusterMetrics(props.clusterName);
    const runs = (statistic: string): IMetric[] =>
      TRIGGERS.map((trigger) => metrics.run(RunMetrics.runs, trigger, statistic));
    const graph = (title: string, left: IMetric[], right: IMetric[] = []) =>
      new GraphWidget({ title, left, right, width: 12, height: 6 });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      widgets: [
        [
          graph(
            'Pending pods and the oldest one’s age (s)',
            [metrics.search(RunMetrics.pendingPods, 'Maximum', 'pending pods')],
            [metrics.search(RunMetrics.oldestPendingPodAge, 'Maximum', 'oldest (s)')],
          ),
          graph(
            'Runs and their durations (s) by trigger',
            runs('Sum'),
            TRIGGERS.map((trigger) => metrics.run(RunMetrics.runDuration, trigger, 'Maximum')),
          ),
        ],
        [
          graph('Launches and terminations by NodePool, and cloud provider errors', [
            metrics.search(KarpenterMetrics.nodeClaimsCreated, 'Sum', 'created'),
            metrics.search(KarpenterMetrics.nodeClaimsTerminated, 'Sum', 'terminated'),
            metrics.search(KarpenterMetrics.cloudProviderErrors, 'Sum', 'errors'),
          ]),
          graph('Interruption messages by type', [
            metrics.search(KarpenterMetrics.interruptionReceivedMessages, 'Sum', 'received'),
          ]),
        ],
        [
          graph('Disruptions by reason and NodePool', [
            metrics.search(KarpenterMetrics.nodeClaimsDisrupted, 'Sum', 'disrupted'),
          ]),
          graph('Pod startup duration (s), creation to Ready', [
            metrics.search(KarpenterMetrics.podsStartupDuration, 'p50', 'p50'),
            metrics.search(KarpenterMetrics.podsStartupDuration, 'p90', 'p90'),
          ]),
        ],
        [
          graph('Cost per hour by NodePool (USD)', [
            metrics.search(RunMetrics.nodePoolCost, 'Maximum', 'USD/hour'),
          ]),
          graph('NodePool usage against limits', [
            metrics.search(KarpenterMetrics.nodePoolUsage, 'Maximum', 'usage'),
            metrics.search(KarpenterMetrics.nodePoolLimit, 'Maximum', 'limit'),
          ]),
        ],
      ],
    });

    this.pendingPodsAlarm = new Alarm(this, 'PendingPodsAlarm', {
      alarmDescription: `A pod has waited for a node longer than ${props.pendingPodAlarmAge.toHumanString()}: see skyscale status and the provisioner's logs.`,
      metric: metrics.insights(RunMetrics.oldestPendingPodAge, 'MAX'),
      threshold: props.pendingPodAlarmAge.toSeconds(),
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    const failures = Object.fromEntries(
      TRIGGERS.map((trigger) => [
        `f${trigger}`,
        metrics
          .run(RunMetrics.runFailures, trigger, 'Sum')
          .with({ period: RUN_FAILURE_RATE_PERIOD }),
      ]),
    );
    const attempts = Object.fromEntries(
      TRIGGERS.map((trigger) => [
        `r${trigger}`,
        metrics.run(RunMetrics.runs, trigger, 'Sum').with({ period: RUN_FAILURE_RATE_PERIOD }),
      ]),
    );
    const sum = (ids: string[]) => ids.map((metricId) => `FILL(${metricId}, 0)`).join(' + ');
    this.runFailureRateAlarm = new Alarm(this, 'RunFailureRateAlarm', {
      alarmDescription:
        'Skyscale runs keep failing (share of failed runs over 15 minutes): read the functions’ logs.',
      metric: new MathExpression({
        expression: `(${sum(Object.keys(failures))}) / MAX([${sum(Object.keys(attempts))}, 1])`,
        usingMetrics: { ...failures, ...attempts },
        period: RUN_FAILURE_RATE_PERIOD,
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
      metric: metrics.insights(RunMetrics.nodePoolRegistrationUnhealthy, 'MAX'),
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
