export * from './parzen';
export * from './nearest';
export * from './kmeans';
export type { MatrixInput } from './matrix';
export * from './mixture';
export * from './trend';
export * from './spread';
export * from './flops';
