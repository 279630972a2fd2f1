export * from './labels.ts';
export * from './quantity.ts';
export * from './core/index.ts';
export * from './validation-rule.ts';
