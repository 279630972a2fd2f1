import type { RunContext, SimulatedRun, SimulationRuns } from './simulation-runs.ts';
import type { ScheduleAt } from './event-queue.ts';

/**
 * The tick's follow-up passes between minutes, simulated only while something is in motion: the
 * returned trigger queues a pass `intervalMs` later (once, however often it is called), and a pass
 * that reports work still in motion queues the next one.
 */
export function followUps(
  runs: SimulationRuns,
  now: () => number,
  at: ScheduleAt,
  invoke: (name: string, run: SimulatedRun) => Promise<void>,
): () => void {
  let due = false;
  const trigger = (): void => {
    const { followUp } = runs;
    if (!followUp || due) return;
    due = true;
    at(now() + followUp.intervalMs, async () => {
      due = false;
      let active = false;
      await invoke('follow-up', async (context: RunContext) => {
        active = await followUp.run(context);
      });
      if (active) trigger();
    });
  };
  return trigger;
}
