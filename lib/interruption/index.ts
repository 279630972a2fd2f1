export {
  InterruptionResponses,
  TerminatingOnInterruption,
  type InterruptionAction,
  type InterruptionNotice,
  type InterruptionResponse,
} from './actions.ts';
export {
  DetailTypes,
  EventSources,
  INTERRUPTION_BATCH_SIZE,
  INTERRUPTION_MAX_RECEIVE_COUNT,
  INTERRUPTION_QUEUE_RETENTION_SECONDS,
  INTERRUPTION_TIMEOUT_SECONDS,
  InterruptionEventPatterns,
  InterruptionMetrics,
  type InterruptionEventPattern,
} from './constants.ts';
export {
  InvalidInterruptionMessageError,
  parseInterruptionMessage,
  type InterruptionKind,
  type InterruptionMessage,
} from './messages.ts';
export {
  runInterruption,
  type InterruptionDeps,
  type InterruptionResult,
  type MessageOutcome,
  type ReceivedMessage,
} from './run-interruption.ts';
