export { claim, claimTrue, formatValue, CLAIM_FAILED_MARKER } from './claim';
export type { ClaimMode, ClaimRange, ClaimOptions, ClaimTrueOptions } from './claim';
export { backendLine } from './backendLine';
