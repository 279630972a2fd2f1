export { DEFAULT_KUBERNETES_GROUP } from './constants.ts';
export { parseInstallArguments, type InstallArguments } from './install-arguments.ts';
export { renderInstall } from './render-install.ts';
export {
  describeSighting,
  findRunningKarpenter,
  KARPENTER_LEASE_NAME,
  type KarpenterSighting,
} from './karpenter-detection.ts';
export { DEFAULT_TAKEOVER_WAIT_MS, makeRoomForSkyscale } from './karpenter-takeover.ts';
