import { Experiment } from './experiment';
import { MLP_MNIST_EXPERIMENT } from './mlpMnist';
import { PAPER_MNIST_EXPERIMENT } from './paperMnist';
import { PAPER_MNIST_NORMAL_NOISE_EXPERIMENT } from './paperMnistNormalNoise';

/** Experiments the CLI knows, by the name given to --experiment. */
export const EXPERIMENTS: { readonly [name: string]: Experiment } = Object.fromEntries(
  [PAPER_MNIST_EXPERIMENT, PAPER_MNIST_NORMAL_NOISE_EXPERIMENT, MLP_MNIST_EXPERIMENT].map((e) => [e.name, e]),
);

export function getExperiment(name: string): Experiment {
  const e = Object.hasOwn(EXPERIMENTS, name) ? EXPERIMENTS[name] : undefined;
  if (!e) throw new Error(`Unknown experiment "${name}". Known: ${Object.keys(EXPERIMENTS).join(', ')}`);
  return e;
}
