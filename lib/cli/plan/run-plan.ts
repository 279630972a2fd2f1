import { CatalogError } from '../../cloudprovider/ec2-model/catalog/index.ts';
import { InstanceTypeFileError } from './instance-type-file.ts';
import { schedule } from '../../scheduling/index.ts';
import type { PlanArguments } from './plan-arguments.ts';
import { readPlanDocuments } from './plan-documents.ts';
import { assemblePlanInput } from './plan-input.ts';
import { type PlanReport, planReport } from './plan-report.ts';
import { instanceTypeSource } from './instance-type-source.ts';
import { systemClock } from '../../util/clock.ts';

/** Input plan cannot use; the message has one line per problem, naming the file, object and field. */
export class PlanInputError extends Error {
  override readonly name = 'PlanInputError';
}

export interface PlanOutcome {
  readonly report: PlanReport;
  /** Objects skipped or ignored, one line each. */
  readonly warnings: readonly string[];
}

async function instanceTypesFor(args: PlanArguments) {
  try {
    return await instanceTypeSource(args.instanceTypesFile, args.region);
  } catch (error) {
    if (error instanceof InstanceTypeFileError || error instanceof CatalogError) {
      throw new PlanInputError(error.message, { cause: error });
    }
    throw error;
  }
}

/** Reads the files, simulates scheduling with the wall clock as deadline, and reports. */
export async function runPlan(args: PlanArguments): Promise<PlanOutcome> {
  const documents = await readPlanDocuments(args.files);
  if (documents.problems.length > 0) throw new PlanInputError(documents.problems.join('\n'));
  const input = assemblePlanInput(documents.objects, await instanceTypesFor(args), Date.now());
  if (input.problems.length > 0) throw new PlanInputError(input.problems.join('\n'));

  const clock = systemClock;
  const startedAt = clock.now();
  const result = schedule({ ...input.scheduling, clock, deadlineMs: args.timeoutMs });
  const durationMs = clock.now() - startedAt;

  const { pendingPods, nodePools } = input.scheduling;
  const instanceTypes = new Set(
    nodePools.flatMap((pool) => pool.instanceTypes.map((type) => type.name)),
  ).size;
  return {
    report: planReport(result, { durationMs, pendingPods: pendingPods.length, instanceTypes }),
    warnings: [...documents.skipped, ...input.warnings],
  };
}
