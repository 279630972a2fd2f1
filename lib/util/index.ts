export * from './ttl-cache.ts';
export { mapWithConcurrency } from './bounded-concurrency.ts';
export { errorMessage } from './error-message.ts';
