/**
 * tsgan: Goodfellow et al. 2014, "Generative Adversarial Nets", in TypeScript on TensorFlow.js.
 * Modules are named after the paper's concepts; notebooks, the CLI and tests import them from here.
 */
export * from './backend';
/** Environment switches (TSGAN_QUICK, …), quick mode and project paths: host/, the lib's view of its machine. */
export * from './host/flags';
export * from './host/quickMode';
export * from './host/projectPath';
/** Stateful: what a checkpoint saves and restores (Rng, Minibatches, real sources). */
export type { Stateful } from './random/stateful';
export * from './random';
export * from './data';
export * from './models';
export * from './losses';
export * from './train';
export * from './train/plane2d';
export * from './train/bilinearGame';
export * from './checkpoint';
export * from './metrics';
export * from './viz';
export * from './kernels';
/** The paper's experiments (config, runs, evaluation, figures), as used by the CLI and notebook 06. */
export * as experiments from './experiments';
/** The paper's optimiser (its experiment's optimizer field, built), beside the generic sgdMomentum. */
export { paperSgdMomentum } from './experiments/paperMnist';
/** The paper's nets by name (their numbers: the paper experiment's generator and discriminator fields). */
export * from './experiments/paperMnistNets';
/** Claims: a notebook checks each statement about its own results (✔/✘); the test runner fails on ✘. */
export * from './claims';
/** The course homework's self-checks and grader support (homework/ at the top of the repository). */
export * as homework from './homework';
export * from './classifier';
