/**
 * What moves what in a 2-D GAN. G's step changes G's weights, and through them every sample x = G(z);
 * the force on each sample is −∇ₓ of G's loss at x (the chain rule then carries it into G's weights),
 * so those gradients, drawn as arrows on D's heat map, show where G's next step pushes its samples.
 */
import * as tf from '@tensorflow/tfjs';
import { generatorLoss, GeneratorLossVariant } from '../losses';
import { applyModel } from './variables';

/** Everything one picture of a 2-D GAN shows, as plain numbers. */
export interface PlaneSnapshot {
  /** Grid axes of the heat map. */
  gridX: number[];
  gridY: number[];
  /** D(x, y) = σ(D's logit), one row per gridY value. */
  d: number[][];
  /** Real points (x ~ p_data). */
  real: { x: number[]; y: number[] };
  /** G's samples. */
  fake: { x: number[]; y: number[] };
  /** ∇ of G's per-sample loss at each of the first `gradient.x.length` samples (arrows point along −∇). */
  gradient?: { x: number[]; y: number[] };
}

export interface SampleGradientOptions {
  discriminator: tf.LayersModel;
  /** Points in data space, [N, dim] (e.g. G's samples). Not disposed. */
  samples: tf.Tensor2D;
  /** G's loss (default 'nonSaturating', as generatorStep). */
  variant?: GeneratorLossVariant;
  /** D in training mode (dropout on)? Default false: the deterministic D a picture should show. */
  discriminatorTraining?: boolean;
}

/**
 * ∇ₓ of G's per-sample loss at each sample, [N, dim]: for the non-saturating loss −log σ(D(x)) it is
 * −(1 − D(x))·∇ₓ logit(x), for the saturating log(1 − σ(D(x))) it is −D(x)·∇ₓ logit(x). G's step moves
 * each of its samples along minus this. Per sample, so it does not shrink with the batch size.
 */
export function generatorSampleGradient(o: SampleGradientOptions): tf.Tensor2D {
  if (!o || !o.discriminator || !(o.samples instanceof tf.Tensor) || o.samples.isDisposed || o.samples.rank !== 2) {
    throw new Error(
      'generatorSampleGradient: pass { discriminator, samples: a live [N, dim] tensor } (samples in data space, e.g. G(z))',
    );
  }
  const n = o.samples.shape[0];
  const training = o.discriminatorTraining ?? false;
  const variant = o.variant ?? 'nonSaturating';
  // generatorLoss is a mean over the batch; times N it is the sum, whose gradient at x_i is sample i's own.
  return tf.tidy(
    () =>
      tf.grad((x: tf.Tensor) => tf.mul(generatorLoss(applyModel(o.discriminator, x, training), { variant }), n))(
        o.samples,
      ) as tf.Tensor2D,
  );
}

export interface Snapshot2DOptions {
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  /** Fixed noise, [N, latentDim]: the same z in every snapshot make pictures comparable over training. */
  z: tf.Tensor2D;
  /** Real points drawn on the picture, row-major (x0, y0, x1, y1, …). */
  real: ArrayLike<number>;
  /** The plane drawn: [[x0, x1], [y0, y1]]. */
  range: [[number, number], [number, number]];
  /** Heat-map points per axis (default 60). */
  gridPoints?: number;
  /** Arrows for the first this many samples (default all; 0 for none). */
  arrows?: number;
  /** G's loss whose gradient the arrows show (default 'nonSaturating'). */
  variant?: GeneratorLossVariant;
}

/** Evaluates a 2-D GAN for planeFigure: D on a grid, G(z) for the fixed z, the arrows' gradients. */
export function snapshot2D(o: Snapshot2DOptions): PlaneSnapshot {
  const where = 'snapshot2D';
  if (!o || !o.generator || !o.discriminator || !(o.z instanceof tf.Tensor) || o.z.isDisposed) {
    throw new Error(`${where}: pass { generator, discriminator, z: a live [N, latentDim] tensor, real, range }`);
  }
  const [[x0, x1], [y0, y1]] = o.range ?? [
    [NaN, NaN],
    [NaN, NaN],
  ];
  if (!(x1 > x0 && y1 > y0))
    throw new Error(
      `${where}: range must be [[x0, x1], [y0, y1]] with x0 < x1 and y0 < y1, got ${JSON.stringify(o.range)}`,
    );
  if (!o.real || o.real.length % 2 !== 0)
    throw new Error(`${where}: real must be a row-major array of points (x0, y0, x1, y1, …)`);
  const m = o.gridPoints ?? 60;
  if (!Number.isInteger(m) || m < 2) throw new Error(`${where}: gridPoints must be an integer >= 2, got ${m}`);
  const gridX = Array.from({ length: m }, (_, i) => x0 + ((x1 - x0) * i) / (m - 1));
  const gridY = Array.from({ length: m }, (_, j) => y0 + ((y1 - y0) * j) / (m - 1));
  const grid = new Float32Array(2 * m * m);
  gridY.forEach((y, j) => gridX.forEach((x, i) => grid.set([x, y], 2 * (j * m + i))));
  const n = o.z.shape[0];
  const arrows = Math.min(o.arrows ?? n, n);
  const [d, fake, gradient] = tf.tidy(() => {
    const dGrid = tf.sigmoid(applyModel(o.discriminator, tf.tensor2d(grid, [m * m, 2]), false));
    const samples = applyModel(o.generator, o.z, false) as tf.Tensor2D;
    if (samples.rank !== 2 || samples.shape[1] !== 2)
      throw new Error(`${where}: G must output points in the plane, [N, 2]; got [${samples.shape}]`);
    const g =
      arrows > 0
        ? generatorSampleGradient({
            discriminator: o.discriminator,
            samples: samples.slice([0, 0], [arrows, 2]),
            variant: o.variant,
          }).dataSync()
        : new Float32Array(0);
    return [dGrid.dataSync(), samples.dataSync(), g];
  });
  const column = (a: ArrayLike<number>, c: number) => Array.from({ length: a.length / 2 }, (_, i) => a[2 * i + c]);
  return {
    gridX,
    gridY,
    d: gridY.map((_, j) => Array.from(d.subarray(j * m, (j + 1) * m))),
    real: { x: column(o.real, 0), y: column(o.real, 1) },
    fake: { x: column(fake, 0), y: column(fake, 1) },
    gradient: { x: column(gradient, 0), y: column(gradient, 1) },
  };
}
