export * from './label.ts';
export * from './node-selector.ts';
export * from './taint.ts';
