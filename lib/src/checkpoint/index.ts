export * from './format';
export * from './saveCheckpoint';
export * from './loadCheckpoint';
export { findInterruptedSave, isSaveLeftoverName, saveLeftovers } from './atomicDir';
export { processAlive } from '../io/processIdentity';
export type { SaveLeftover } from './atomicDir';
export { isCompleteCheckpoint } from './verify';
export { makeDirectory } from '../io/makeDirectory';
export * from './stages';
