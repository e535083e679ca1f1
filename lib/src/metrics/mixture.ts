/**
 * The standard mode-collapse metrics of a 2-D Gaussian mixture (Metz et al. 2017, "Unrolled GANs";
 * Srivastava et al. 2017, "VEEGAN"; Lin et al. 2018, "PacGAN"):
 * - a sample is of **high quality** when it lies within 3σ of the nearest mode's centre;
 * - a mode is **covered** when enough high-quality samples fall to it. PacGAN calls a mode lost when it
 *   gets fewer than 20 of 2,500 samples on 25 modes, i.e. a fifth of its fair share; that is the default.
 * Plain numbers in and out: the samples of a toy GAN are a few thousand points.
 */
import * as tf from '@tensorflow/tfjs';

export interface MixtureMetricsOptions {
  /** Centres of the mixture's modes, e.g. ringMixture2D(...).modes. */
  centres: readonly (readonly [number, number])[];
  /** Standard deviation of each (isotropic) mode. */
  std: number;
  /** A sample is of high quality within this many σ of the nearest centre (default 3). */
  sigmas?: number;
  /**
   * A mode is covered when at least this share of its fair share n/modes of high-quality samples falls
   * to it (default 0.2, PacGAN's 20 of 100).
   */
  minFairShare?: number;
}

export interface MixtureMetrics {
  /** Samples measured. */
  samples: number;
  /** High-quality samples nearest to each mode (in the order of `centres`). */
  perMode: number[];
  /** All samples nearest to each mode, whatever their distance: where G puts its mass, good or not. */
  nearestPerMode: number[];
  /** Samples within `sigmas`·σ of the nearest centre. */
  highQuality: number;
  /** highQuality / samples. */
  highQualityShare: number;
  /** Modes with at least minFairShare · samples / modes high-quality samples. */
  modesCovered: number;
  /** Number of modes of the mixture. */
  modes: number;
  /**
   * KL(q ‖ uniform) in nats between the share of high-quality samples per mode (q) and the mixture's
   * equal weights: 0 when every mode gets its fair share, log(modes) when one mode gets all of them.
   * NaN when no sample is of high quality.
   */
  klToUniform: number;
  /**
   * Root-mean-square distance of the samples from their own mean point: small for one tight clump,
   * about the ring's radius for samples spread round a ring (NaN coordinates are left out).
   */
  centroidSpread: number;
}

/** The metrics of `samples` (a row-major n×2 array or an [n, 2] tensor, which is not disposed). */
export function mixtureMetrics(samples: ArrayLike<number> | tf.Tensor, options: MixtureMetricsOptions): MixtureMetrics {
  const xy = toPoints(samples);
  const { centres, std } = options ?? ({} as MixtureMetricsOptions);
  if (!Array.isArray(centres) || centres.length === 0 || !centres.every((c) => Array.isArray(c) && c.length === 2)) {
    throw new Error(
      'mixtureMetrics: options.centres must be a non-empty array of [x, y] centres (e.g. ringMixture2D().modes)',
    );
  }
  if (!(typeof std === 'number' && std > 0 && Number.isFinite(std))) {
    throw new Error(
      `mixtureMetrics: options.std must be the modes' standard deviation (a positive number), got ${String(std)}`,
    );
  }
  const sigmas = options.sigmas ?? 3;
  const minFairShare = options.minFairShare ?? 0.2;
  if (!(sigmas > 0)) throw new Error(`mixtureMetrics: sigmas must be positive, got ${sigmas}`);
  if (!(minFairShare >= 0)) throw new Error(`mixtureMetrics: minFairShare must be >= 0, got ${minFairShare}`);
  const n = xy.length / 2;
  if (n === 0) throw new Error('mixtureMetrics: no samples given; pass at least one point');
  const radius2 = (sigmas * std) ** 2;
  const perMode = new Array<number>(centres.length).fill(0);
  const nearestPerMode = new Array<number>(centres.length).fill(0);
  for (let i = 0; i < n; i++) {
    const [x, y] = [xy[2 * i], xy[2 * i + 1]];
    let best = -1;
    let bestD2 = Infinity;
    centres.forEach(([cx, cy], k) => {
      const d2 = (x - cx) ** 2 + (y - cy) ** 2;
      if (d2 < bestD2) [best, bestD2] = [k, d2];
    });
    if (best < 0) continue; // NaN coordinates belong to no mode
    nearestPerMode[best]++;
    if (bestD2 <= radius2) perMode[best]++;
  }
  const highQuality = perMode.reduce((s, c) => s + c, 0);
  const threshold = (minFairShare * n) / centres.length;
  let kl = 0;
  for (const c of perMode) if (c > 0) kl += (c / highQuality) * Math.log((c / highQuality) * centres.length);
  return {
    samples: n,
    perMode,
    nearestPerMode,
    highQuality,
    highQualityShare: highQuality / n,
    modesCovered: perMode.filter((c) => c > 0 && c >= threshold).length,
    modes: centres.length,
    klToUniform: highQuality > 0 ? kl : NaN,
    centroidSpread: centroidSpread(xy, n),
  };
}

/** RMS distance of the finite points of a row-major n×2 array from their mean point. */
function centroidSpread(xy: ArrayLike<number>, n: number): number {
  let [sx, sy, count] = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(xy[2 * i]) || !Number.isFinite(xy[2 * i + 1])) continue;
    sx += xy[2 * i];
    sy += xy[2 * i + 1];
    count++;
  }
  if (count === 0) return NaN;
  const [mx, my] = [sx / count, sy / count];
  let sq = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(xy[2 * i]) || !Number.isFinite(xy[2 * i + 1])) continue;
    sq += (xy[2 * i] - mx) ** 2 + (xy[2 * i + 1] - my) ** 2;
  }
  return Math.sqrt(sq / count);
}

function toPoints(samples: ArrayLike<number> | tf.Tensor): ArrayLike<number> {
  if (samples instanceof tf.Tensor) {
    if (samples.isDisposed) throw new Error('mixtureMetrics: the samples tensor was already disposed');
    if (samples.rank !== 2 || samples.shape[1] !== 2) {
      throw new Error(
        `mixtureMetrics: samples must be an [n, 2] tensor of points in the plane, got shape [${samples.shape}]`,
      );
    }
    return samples.dataSync();
  }
  if (!samples || typeof samples.length !== 'number' || samples.length % 2 !== 0) {
    throw new Error(
      'mixtureMetrics: samples must be a row-major array (x0, y0, x1, y1, …) of even length or an [n, 2] tensor',
    );
  }
  return samples;
}
