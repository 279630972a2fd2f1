export * from './ttl-cache.ts';
