export type { InstanceType, Offering, Overhead } from './types.ts';
