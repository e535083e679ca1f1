export * from './format';
export * from './saveCheckpoint';
export * from './loadCheckpoint';
export { findInterruptedSave, processAlive, saveLeftovers } from './atomicDir';
export type { SaveLeftover } from './atomicDir';
export { isCompleteCheckpoint } from './verify';
export { makeDirectory } from '../io/makeDirectory';
