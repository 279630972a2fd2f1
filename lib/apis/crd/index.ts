export * from './definitions.ts';
export * from './structural-schema.ts';
