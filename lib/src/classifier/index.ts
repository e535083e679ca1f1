export * from './model';
export * from './train';
export * from './weights';
export * from './judge';
