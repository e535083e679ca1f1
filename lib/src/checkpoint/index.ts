export * from './format';
export * from './saveCheckpoint';
export * from './loadCheckpoint';
export { findInterruptedSave } from './atomicDir';
