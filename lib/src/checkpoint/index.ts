export * from './format';
export * from './saveCheckpoint';
export * from './loadCheckpoint';
export { findInterruptedSave, isSaveLeftoverName, saveLeftovers } from './atomicDir';
export { processAlive } from '../host/processIdentity';
export type { SaveLeftover } from './atomicDir';
export { isCompleteCheckpoint } from './verify';
export { makeDirectory } from '../host/makeDirectory';
export * from './stages';
