export { MemoryCluster, type MemoryClusterOptions } from './memory-cluster.ts';
export { sequentialIds, type IdSource } from './id-source.ts';
