export type { CapacityFault } from './capacity-faults.ts';
export type { SimulatedReservation } from './capacity-reservations.ts';
export { readyNodeChange, registeredNode, type ReadyNodeChange } from './node-object.ts';
export {
  DEFAULT_BOOT_DELAY_MS,
  SPOT_INTERRUPTION_NOTICE_MS,
  SimulatedCloud,
  type SimulatedCloudOptions,
} from './simulated-cloud.ts';
export { instanceCost, type SimulatedInstance } from './simulated-instance.ts';
