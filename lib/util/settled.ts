/**
 * What `work` returns as a resolved promise, or what it throws as a rejection: how the in-memory
 * adapters answer an asynchronous port from synchronous work and still fail the way the real
 * adapters do, by rejecting rather than throwing at the call.
 */
export function settled<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error);
  }
}
