/**
 * The posting engine of Record and Collect, as the operations and the router see it. A row's way from the sheet to
 * athena and back: engine.ts (the story) → plan.ts (read, check, key) → send.ts (claim, send, file the outcome) →
 * report.ts; memory/ holds the duplicate check (keys, n8n's store, the claim decision, the claim log), rowOutcome.ts
 * everything a row says, settleUnknown.ts what athena's records show for a row an earlier run left unknown.
 */
export { postPayments } from './engine';
export type { PaymentCommon, PostingSpec } from './types';
export { refuseUnsafePostingSetup } from './preflight';
export { isTypedIntoNode, keepCardDataIn, typedCardDataMessage } from './cardData';
export { legacyCollectKeyParts } from './memory';
export { ATHENA_CHECK, unknownPaymentOf } from './settleUnknown';
export { findInAthena } from './findInAthena';
export { postingParameterPath } from './parameterPaths';
