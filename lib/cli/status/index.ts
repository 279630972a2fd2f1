export {
  clusterStatus,
  type NodeClaimStatusRow,
  type NodePoolStatusRow,
  type NodeStatusRow,
  type StatusInput,
  type StatusReport,
} from './cluster-status.ts';
export { catalogPrices, type PriceOf } from './price-book.ts';
export { parseStatusArguments, type StatusArguments } from './status-arguments.ts';
export { renderStatusText, sharedDomain, shortAge, usageBar } from './status-text.ts';
export { runStatus, selectNodePools } from './run-status.ts';
