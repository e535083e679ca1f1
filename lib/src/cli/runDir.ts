/** The CLI's view of run folders: see experiments/runFolder.ts (shared with notebook 06). */
export * from '../experiments/runFolder';
