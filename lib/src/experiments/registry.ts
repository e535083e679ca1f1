import { PAPER_MNIST_EXPERIMENT, PaperMnistExperiment } from './paperMnist';

/** Experiments the CLI knows, by the name given to --experiment. */
export const EXPERIMENTS: { readonly [name: string]: PaperMnistExperiment } = {
  'paper-mnist': PAPER_MNIST_EXPERIMENT,
};

export function getExperiment(name: string): PaperMnistExperiment {
  const e = EXPERIMENTS[name];
  if (!e) throw new Error(`Unknown experiment "${name}". Known: ${Object.keys(EXPERIMENTS).join(', ')}`);
  return e;
}
