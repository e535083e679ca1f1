/**
 * Seeds and initialisers for the model builders. Every builder turns its one `seed` into an Rng and
 * draws a fresh tfjs initialiser seed per weight tensor, so that the same seed gives bit-identical
 * weights and two tensors of one model never share a random stream.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';

/** A tfjs weight initialiser (the class itself is not exported by tfjs, only returned by its factories). */
export type Initializer = ReturnType<typeof tf.initializers.randomUniform>;

/** An initialiser or its serialised form `{ className, config }` (what getConfig/toJSON store). */
export type InitializerLike = Initializer | { className: string; config: tf.serialization.ConfigDict };

export function checkSeed(seed: unknown, where: string): number {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new Error(`${where}: seed must be a finite number (e.g. { seed: 1 }), got ${String(seed)}`);
  }
  return seed;
}

/** A seed for one tfjs initialiser. Never 0: tfjs' Gaussian sampler treats seed 0 as "no seed" and uses Math.random. */
export function nextSeed(rng: Rng): number {
  return rng.nextUint32() || 1;
}

/** U(−range, range), the pylearn2 `irange` initialisation the paper's models use. */
export function uniformInit(rng: Rng, range: number): Initializer {
  if (!(range > 0) || !Number.isFinite(range)) {
    throw new Error(`initRange must be a positive number (the paper uses 0.05 for G, 0.005 for D), got ${range}`);
  }
  return tf.initializers.randomUniform({ minval: -range, maxval: range, seed: nextSeed(rng) });
}

/** N(mean, std²), the DCGAN initialisation. */
export function normalInit(rng: Rng, std: number, mean = 0): Initializer {
  return tf.initializers.randomNormal({ mean, stddev: std, seed: nextSeed(rng) });
}

/** Glorot uniform (the tfjs default for Dense), but seeded. */
export function glorotInit(rng: Rng): Initializer {
  return tf.initializers.glorotUniform({ seed: nextSeed(rng) });
}

export function serializeInitializer(init: Initializer): tf.serialization.ConfigDict {
  return { className: init.getClassName(), config: init.getConfig() };
}

export function toInitializer(init: InitializerLike | undefined, fallback: () => Initializer, where: string): Initializer {
  if (init == null) return fallback();
  if (init instanceof tf.serialization.Serializable) return init as Initializer;
  const { className, config } = init as { className?: unknown; config?: tf.serialization.ConfigDict };
  const entry = typeof className === 'string' ? tf.serialization.SerializationMap.getMap().classNameMap[className] : undefined;
  if (!entry) {
    throw new Error(
      `${where}: unknown initialiser ${JSON.stringify(className)}; pass a tf.initializers.* object ` +
        `or a serialised { className, config } of a registered initialiser (e.g. 'RandomUniform')`,
    );
  }
  const [cls, fromConfig] = entry;
  return fromConfig(cls, config ?? {}) as Initializer;
}
