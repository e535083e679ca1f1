export type { Initializer, InitializerLike } from './seeds';
export * from './maxout';
export * from './seededDropout';
export * from './mlp';
export * from './paperMnist';
export * from './dcgan';
export * from './utils';
export * from './mlpMnist';
export * from './conditional';
