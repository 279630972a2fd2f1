export interface RequestBatcherOptions<I, O> {
  /** A batch closes after a window this long in which no request joined it... */
  readonly idleMs: number;
  /** ...or once it has been open this long... */
  readonly maxWaitMs: number;
  /** ...or as soon as it holds this many requests. */
  readonly maxItems: number;
  /**
   * Serves one closed batch with one call: one answer per input, in the inputs' order, each
   * settling on its own (so a caller need not wait for work done for the others). A request left
   * without an answer is rejected; when `execute` throws, every request gets its error.
   */
  readonly execute: (inputs: readonly I[]) => Promise<readonly Promise<O>[]>;
  readonly sleep: (ms: number) => Promise<void>;
}

interface Waiting<I, O> {
  readonly input: I;
  readonly resolve: (output: O) => void;
  readonly reject: (error: unknown) => void;
}

interface OpenBatch<I, O> {
  readonly waiting: Waiting<I, O>[];
  closed: boolean;
}

/**
 * Gathers requests that arrive close together under the same key and serves each group with one
 * call, as Karpenter batches its EC2 calls: a caller awaits only its own answer. Requests under
 * different keys never share a call.
 */
export class RequestBatcher<I, O> {
  private readonly open = new Map<string, OpenBatch<I, O>>();

  constructor(private readonly options: RequestBatcherOptions<I, O>) {}

  add(key: string, input: I): Promise<O> {
    let batch = this.open.get(key);
    const opening = batch === undefined;
    if (!batch) {
      batch = { waiting: [], closed: false };
      this.open.set(key, batch);
    }
    const joined = batch;
    const answer = new Promise<O>((resolve, reject) => {
      joined.waiting.push({ input, resolve, reject });
    });
    if (joined.waiting.length >= this.options.maxItems) void this.close(key, joined);
    else if (opening) void this.closeWhenQuiet(key, joined);
    return answer;
  }

  private async closeWhenQuiet(key: string, batch: OpenBatch<I, O>): Promise<void> {
    const { idleMs, maxWaitMs, sleep } = this.options;
    let waited = 0;
    let seen = 0;
    while (!batch.closed && batch.waiting.length > seen && waited < maxWaitMs) {
      seen = batch.waiting.length;
      const window = Math.min(idleMs, maxWaitMs - waited);
      await sleep(window);
      waited += window;
    }
    await this.close(key, batch);
  }

  private async close(key: string, batch: OpenBatch<I, O>): Promise<void> {
    if (batch.closed) return;
    batch.closed = true;
    if (this.open.get(key) === batch) this.open.delete(key);
    const { waiting } = batch;
    let answers: readonly Promise<O>[];
    try {
      answers = await this.options.execute(waiting.map(({ input }) => input));
    } catch (error) {
      for (const request of waiting) request.reject(error);
      return;
    }
    waiting.forEach((request, index) => {
      const answer = answers[index];
      if (answer) answer.then(request.resolve, request.reject);
      else request.reject(new Error('the batched call returned no answer for this request'));
    });
  }
}
