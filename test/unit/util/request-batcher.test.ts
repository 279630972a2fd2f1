import { describe, expect, it } from 'vitest';
import { RequestBatcher } from '../../../lib/util/request-batcher.ts';

/** A sleep that waits for the test to release it, so the test decides when a window ends. */
function manualSleep(): { sleep: (ms: number) => Promise<void>; elapse: () => Promise<void> } {
  let pending: (() => void)[] = [];
  return {
    sleep: () => new Promise<void>((resolve) => pending.push(resolve)),
    elapse: async () => {
      const due = pending;
      pending = [];
      for (const resolve of due) resolve();
      // Let the woken batches run their calls and settle their callers.
      for (let turn = 0; turn < 10; turn++) await Promise.resolve();
    },
  };
}

function batcherWith(
  execute: (inputs: readonly number[]) => Promise<readonly Promise<string>[]>,
  sleep: (ms: number) => Promise<void>,
  maxItems = 100,
): RequestBatcher<number, string> {
  return new RequestBatcher({ idleMs: 35, maxWaitMs: 1_000, maxItems, sleep, execute });
}

const echo = (calls: number[][]) => (inputs: readonly number[]) => {
  calls.push([...inputs]);
  return Promise.resolve(
    inputs.map((input) => Promise.resolve(`answer ${input} of ${inputs.length}`)),
  );
};

describe('RequestBatcher', () => {
  it('serves requests that arrive within one window with one call, each caller its own answer', async () => {
    // Prepare
    const calls: number[][] = [];
    const clock = manualSleep();
    const batcher = batcherWith(echo(calls), clock.sleep);

    // Act
    const answers = [batcher.add('a', 1), batcher.add('a', 2), batcher.add('a', 3)];
    await clock.elapse();
    await clock.elapse();

    // Assess
    expect(calls).toEqual([[1, 2, 3]]);
    expect(await Promise.all(answers)).toEqual(['answer 1 of 3', 'answer 2 of 3', 'answer 3 of 3']);
  });

  it('keeps a batch open for another window when a request joined it, and never merges different keys', async () => {
    // Prepare
    const calls: number[][] = [];
    const clock = manualSleep();
    const batcher = batcherWith(echo(calls), clock.sleep);

    // Act
    const first = batcher.add('a', 1);
    const other = batcher.add('b', 9);
    const late = batcher.add('a', 2);
    await clock.elapse();
    const afterFirstWindow = calls.map((call) => [...call]);
    await clock.elapse();

    // Assess
    expect(afterFirstWindow).toEqual([[9]]);
    expect(calls).toEqual([[9], [1, 2]]);
    expect(await Promise.all([first, late, other])).toEqual([
      'answer 1 of 2',
      'answer 2 of 2',
      'answer 9 of 1',
    ]);
  });

  it('closes a batch at once when it is full', async () => {
    // Prepare
    const calls: number[][] = [];
    const clock = manualSleep();
    const batcher = batcherWith(echo(calls), clock.sleep, 2);

    // Act
    const full = [batcher.add('a', 1), batcher.add('a', 2)];
    const next = batcher.add('a', 3);
    const fullAnswers = await Promise.all(full);

    // Assess
    expect(calls).toEqual([[1, 2]]);
    expect(fullAnswers).toEqual(['answer 1 of 2', 'answer 2 of 2']);
    await clock.elapse();
    await clock.elapse();
    expect(await next).toBe('answer 3 of 1');
  });

  it('hands each caller its own error, and rejects callers the call left without a result', async () => {
    // Prepare
    const clock = manualSleep();
    const batcher = batcherWith(
      () =>
        Promise.resolve([
          Promise.resolve('instance for the first'),
          Promise.reject(new Error('none for the second')),
        ]),
      clock.sleep,
    );

    // Act
    const answers = [1, 2, 3].map((input) =>
      batcher.add('a', input).then(
        (output) => ({ output }),
        (error: Error) => ({ error: error.message }),
      ),
    );
    await clock.elapse();
    await clock.elapse();

    // Assess
    expect(await Promise.all(answers)).toEqual([
      { output: 'instance for the first' },
      { error: 'none for the second' },
      { error: 'the batched call returned no answer for this request' },
    ]);
  });

  it('answers each caller as soon as its own answer settles, whatever the others wait for', async () => {
    // Prepare
    const clock = manualSleep();
    let releaseSecond: (value: string) => void = () => undefined;
    const second = new Promise<string>((resolve) => (releaseSecond = resolve));
    const batcher = batcherWith(
      () => Promise.resolve([Promise.resolve('first, ready'), second]),
      clock.sleep,
    );
    const settled: string[] = [];

    // Act
    const answers = [batcher.add('a', 1), batcher.add('a', 2)].map((answer) =>
      answer.then((output) => settled.push(output)),
    );
    await clock.elapse();
    await clock.elapse();
    const beforeRelease = [...settled];
    releaseSecond('second, later');
    await Promise.all(answers);

    // Assess
    expect(beforeRelease).toEqual(['first, ready']);
    expect(settled).toEqual(['first, ready', 'second, later']);
  });

  it('gives every caller the error of a call that failed as a whole', async () => {
    // Prepare
    const clock = manualSleep();
    const batcher = batcherWith(
      () => Promise.reject(new Error('RequestLimitExceeded')),
      clock.sleep,
    );

    // Act
    const answers = [batcher.add('a', 1), batcher.add('a', 2)].map((answer) =>
      answer.catch((error: Error) => error.message),
    );
    await clock.elapse();
    await clock.elapse();

    // Assess
    expect(await Promise.all(answers)).toEqual(['RequestLimitExceeded', 'RequestLimitExceeded']);
  });

  it('closes a batch that is still growing once it has waited its longest', async () => {
    // Prepare
    const calls: number[][] = [];
    const clock = manualSleep();
    const batcher = new RequestBatcher<number, string>({
      idleMs: 35,
      maxWaitMs: 70,
      maxItems: 100,
      sleep: clock.sleep,
      execute: echo(calls),
    });

    // Act
    const answers = [batcher.add('a', 1), batcher.add('a', 2)];
    await clock.elapse();
    answers.push(batcher.add('a', 3));
    await clock.elapse();

    // Assess
    expect(calls).toEqual([[1, 2, 3]]);
    expect(await Promise.all(answers)).toEqual(['answer 1 of 3', 'answer 2 of 3', 'answer 3 of 3']);
  });
});
