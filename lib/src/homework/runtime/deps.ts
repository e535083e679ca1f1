/**
 * What a student's cell finds besides its own code, in the sandbox: `gan` (the public pieces a cell may use,
 * not the tsgan package) and the functions of the earlier exercises it depends on (spec.ts dependsOn), as the
 * library computes them. They come from the public library, never from the teacher's solution notebook, so
 * String(discriminatorLoss) in ex4 shows library code anyone can read, and no solution.
 */
import * as tf from '@tensorflow/tfjs';
import { discriminatorLoss, generatorLoss } from '../../losses/adversarial';
import { optimalDiscriminator } from '../../losses/theory';
import { uniformPrior } from '../../random/priors';
import { Rng } from '../../random/rng';
import type { GanOptimizer } from '../../train/optimizer';
import { discriminatorStep, generatorStep } from '../../train/steps';

type Fn = (...args: never[]) => unknown;

/** The students' signatures over the library's functions (a tf.train optimiser takes the lib's gradient map as it is). */
export const DEPENDENCIES: { [id: string]: { [fn: string]: Fn } } = {
  ex1: { samplePrior: (n: number, dim: number, rng: Rng) => uniformPrior(dim).sample(n, rng) },
  ex2: { discriminatorLoss: (r: tf.Tensor, f: tf.Tensor) => discriminatorLoss(r, f) },
  ex3: { generatorLoss: (f: tf.Tensor, variant: 'saturating' | 'nonSaturating') => generatorLoss(f, { variant }) },
  ex4: {
    discriminatorStep: (G: tf.LayersModel, D: tf.LayersModel, optimizer: GanOptimizer, real: tf.Tensor2D, z: tf.Tensor2D) =>
      discriminatorStep({ generator: G, discriminator: D, optimizer, real, z }).dLoss,
  },
  ex5: {
    generatorStep: (G: tf.LayersModel, D: tf.LayersModel, optimizer: GanOptimizer, z: tf.Tensor2D) =>
      generatorStep({ generator: G, discriminator: D, optimizer, z }).gLoss,
  },
  ex8: { optimalDiscriminator: (p: number[], q: number[]) => Array.from(optimalDiscriminator(p, q)) },
};

/** `gan` in a sandboxed cell: the seeded generator the exercises pass around, and a silent hw.check. */
export const STUDENT_GAN = Object.freeze({ Rng, homework: Object.freeze({ check: () => undefined }) });
