export * from './paperMnist';
export * from './registry';
export * from './session';
export * from './evaluate';
export * from './figures';
export * from './runFolder';
export * from './validation';
