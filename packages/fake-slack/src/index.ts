/** The fake Slack: a Web API on loopback with a workspace state, and a driver that plays Slack's side. */
export { FakeSlack, startFakeSlack } from './fake-slack.js';
export { DEFAULT_BOT_SCOPES, type FakeSlackOptions } from './fake-slack-options.js';
export type { InjectedFault } from './fault-injection.js';
export {
  SlackClientRefusal,
  SlackDeadlineError,
  SlackRejectedResponseError,
  SlackRequestDriver,
  type ChannelRef,
  type DeliveredRequest,
  type DeliverOptions,
  type DriverResult,
  type ElementLocation,
  type MessageRef,
  type RequestKind,
  type SlackRequestDriverOptions,
  type SubmissionOutcome,
  type SubmissionResult,
  type SuggestionResult,
  type ViewRef,
} from './request-driver.js';
export { signSlackRequest, type SlackSignatureHeaders } from './request-signing.js';
export { slashCommandForm } from './payloads.js';
export {
  actionIdsOf,
  findBlock,
  findElement,
  interactiveElements,
  textOf,
  type FoundElement,
} from './block-kit/query.js';
export {
  formatProblems,
  validateMessageBlocks,
  validateView,
  type BlockKitProblem,
} from './block-kit/validate.js';
export { DEFAULT_PER_MINUTE, type PostMessageLimit, type RateLimitSettings } from './rate-limiter.js';
export { FieldValueError, type AttachedFile, type FieldValue, type OptionInput } from './view-state.js';
export type { WorkspaceIdentity, ResponseUrlOrigin } from './workspace.js';
export type * from './types.js';
