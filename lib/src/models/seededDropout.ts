/**
 * Dropout whose masks come from a tsgan Rng. tf.layers.dropout with a fixed seed draws the SAME mask on
 * every call, and without a seed it is not reproducible; an Rng gives a new mask per call, is seeded,
 * and its state can be saved in a checkpoint (`layer.rng.getState()`).
 */
import * as tf from '@tensorflow/tfjs';
import { bernoulliMask, Rng } from '../random';

export interface SeededDropoutArgs {
  /** Probability of keeping each input (the paper: 0.8 on pixels, 0.5 on hidden units). */
  keep: number;
  /** Source of the masks; default new Rng(0). */
  rng?: Rng;
  inputShape?: (number | null)[];
  batchInputShape?: (number | null)[];
  name?: string;
}

export class SeededDropout extends tf.layers.Layer {
  static className = 'SeededDropout';
  readonly keep: number;
  /** Public so that checkpoints can save and restore it, and so a loaded model can be given its stream back. */
  rng: Rng;

  constructor(args: SeededDropoutArgs) {
    const keep = args?.keep;
    if (typeof keep !== 'number' || !(keep > 0 && keep <= 1)) {
      throw new Error(`SeededDropout: keep is the probability of KEEPING a unit, in (0, 1] (the paper: 0.8, 0.5), got ${String(keep)}`);
    }
    super({ name: args.name, inputShape: args.inputShape, batchInputShape: args.batchInputShape });
    this.keep = keep;
    this.rng = args.rng ?? new Rng(0);
    this.trainable = false;
  }

  override computeOutputShape(inputShape: (number | null)[] | (number | null)[][]): (number | null)[] | (number | null)[][] {
    return inputShape;
  }

  /** Inverted dropout: survivors are scaled by 1/keep so that evaluation needs no rescaling. */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { [key: string]: unknown }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (kwargs?.training !== true || this.keep === 1) return x;
    return tf.tidy(() => tf.mul(x, bernoulliMask(this.rng, x.shape, this.keep, 1 / this.keep)));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), keep: this.keep };
  }

  /**
   * The Rng is state, not configuration, so it is not serialised: a layer rebuilt from JSON starts from a
   * fresh Rng(0). Assign `layer.rng` (or setState) to continue a saved stream.
   */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls({ ...config, rng: new Rng(0) });
  }
}
tf.serialization.registerClass(SeededDropout);

/** The SeededDropout layers of a model, in order (for checkpointing their Rng states). */
export function seededDropoutLayers(model: tf.LayersModel): SeededDropout[] {
  return model.layers.filter((l): l is SeededDropout => l instanceof SeededDropout);
}

/**
 * The distinct Rngs a model's SeededDropout layers draw their masks from, models nested inside it included
 * (several layers usually share one stream). Saving and restoring their states replays the same masks.
 */
export function dropoutRngs(model: tf.LayersModel): Rng[] {
  const found = new Set<Rng>();
  const visit = (m: tf.LayersModel): void => {
    for (const layer of m.layers) {
      if (layer instanceof SeededDropout) found.add(layer.rng);
      else if (layer instanceof tf.LayersModel) visit(layer);
    }
  };
  visit(model);
  return [...found];
}
