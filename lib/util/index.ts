export { systemClock, type Clock } from './clock.ts';
export { TtlCache } from './ttl-cache.ts';
