export * from './rng';
export * from './priors';
