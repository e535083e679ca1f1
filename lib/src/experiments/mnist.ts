/** MNIST split as an experiment's data field says (experiment.ts: MnistDataSpec). */
import { ImageSet, loadMnistIdx, subset } from '../data';
import { MnistDataSpec } from './experiment';

export interface MnistSplit {
  train: ImageSet;
  validation: ImageSet;
  test: ImageSet;
}

/** The split of `spec` (train, validation, test), train cut to its first `trainCount` images. */
export function loadMnistSplit(spec: MnistDataSpec, trainCount: number = spec.trainCount, dir?: string): MnistSplit {
  if (!Number.isInteger(trainCount) || trainCount < 1 || trainCount > spec.trainCount) {
    throw new Error(`trainCount must be an integer in 1..${spec.trainCount}, got ${trainCount}`);
  }
  const full = loadMnistIdx({ dir, trainCount: spec.trainCount });
  return {
    train: trainCount === full.train.count ? full.train : subset(full.train, 0, trainCount),
    validation: full.validation,
    test: full.test,
  };
}
