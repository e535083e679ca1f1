export * from './model';
export * from './fit';
export * from './weights';
export * from './judge';
