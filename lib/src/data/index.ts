export * from './imageSet';
export * from './mnistPackage';
export * from './idx';
export * from './mnistIdx';
export * from './minibatches';
export * from './toys1d';
export * from './toys2d';
export * from './realSource';
