import { Duration } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { FunctionServices } from '../../lib/metrics/constants.ts';
import {
  TICK_PERIOD_SECONDS,
  TICK_TIMEOUT_SECONDS,
  TickEnvironment,
  TickEventFields,
} from '../../lib/tick/constants.ts';
import { clusterControllerFunction, type ClusterAccessProps } from './cluster-controller.ts';
import type { SkyscaleFunction } from './skyscale-function.ts';

export interface TickProps extends ClusterAccessProps {
  /**
   * How often the schedule invokes the tick, in whole minutes (EventBridge Scheduler's unit).
   * @default Duration.seconds(TICK_PERIOD_SECONDS), one minute
   */
  readonly rate?: Duration;
  /**
   * How long a launched NodeClaim may take to register before it is replaced, as a duration.
   * @default Karpenter's 15m
   */
  readonly registrationTtl?: string;
}

/** EventBridge Scheduler's longest retry window: a day. */
const MAXIMUM_EVENT_AGE_SECONDS = 86_400;

/**
 * The tick: an EventBridge Scheduler schedule invokes the tick function every minute (or at
 * `rate`), without retries (the next tick is the retry). Reserved concurrency 1 and a timeout
 * short of a minute keep one invocation at a time.
 */
export class Tick extends Construct {
  readonly handler: SkyscaleFunction;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: TickProps) {
    super(scope, id);
    const rate = props.rate ?? Duration.seconds(TICK_PERIOD_SECONDS);
    this.handler = clusterControllerFunction(this, {
      ...props,
      entry: 'tick/handler.ts',
      description: `Skyscale one-minute tick of cluster ${props.clusterName}`,
      serviceName: FunctionServices.tick,
      timeout: Duration.seconds(TICK_TIMEOUT_SECONDS),
      environment: {
        [TickEnvironment.period]: `${rate.toSeconds()}s`,
        ...(props.registrationTtl !== undefined && {
          [TickEnvironment.registrationTtl]: props.registrationTtl,
        }),
      },
    });
    // The scheduler's own role may invoke this function and nothing else (not even its versions).
    const invoker = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
      description: `Lets EventBridge Scheduler invoke the tick of cluster ${props.clusterName}`,
    });
    invoker.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.handler.function.functionArn],
      }),
    );
    this.schedule = new Schedule(this, 'Schedule', {
      description: `Skyscale tick of cluster ${props.clusterName}`,
      schedule: ScheduleExpression.rate(rate),
      target: {
        bind: () => ({
          arn: this.handler.function.functionArn,
          role: invoker,
          // The tick counts the pods that turned Ready in the period before its scheduled time.
          input: ScheduleTargetInput.fromObject({
            [TickEventFields.scheduledTime]: ContextAttribute.scheduledTime,
          }),
          retryPolicy: {
            maximumRetryAttempts: 0,
            maximumEventAgeInSeconds: Math.min(rate.toSeconds(), MAXIMUM_EVENT_AGE_SECONDS),
          },
        }),
      },
    });
  }
}
