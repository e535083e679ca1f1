export * from './rng';
export * from './priors';
export * from './bernoulliMask';
