export * from './label.ts';
export * from './node-selector.ts';
export * from './taint.ts';
export * from './object-meta.ts';
export * from './label-selector.ts';
export * from './pod.ts';
export * from './node.ts';
export * from './daemonset.ts';
