export * from './labels.ts';
export * from './quantity.ts';
