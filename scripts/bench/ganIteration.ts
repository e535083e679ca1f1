/**
 * The GAN iteration both the benchmark (worker.ts) and the kernel profile (profile.ts) measure: the lib's
 * models, optimisers and train steps, exactly what the notebooks and the CLI run. Real data are random
 * "images" in [0, 1]: the data pipeline is not what is measured (the same in torch_gan.py).
 */
import * as tf from '@tensorflow/tfjs';
import {
  adam,
  dcganDiscriminator,
  dcganGenerator,
  discriminatorStep,
  generatorStep,
  normalPrior,
  paperMnistDiscriminator,
  paperMnistGenerator,
  paperSgdMomentum,
  Rng,
  simultaneousStep,
  uniformPrior,
} from '../../lib/src';
import { BenchModelName } from './options';

export type BenchModel = BenchModelName;

/**
 * Phases of one iteration, each called in order: sample z, D step, G step (timed separately by profile.ts).
 * The simultaneous models have no separate phases: their D step is the whole update and their G step nothing.
 */
export interface GanIteration {
  batch: number;
  sampleNoise(): [tf.Tensor2D, tf.Tensor2D];
  dStep(z: tf.Tensor2D): void;
  gStep(z: tf.Tensor2D): void;
  /** One whole iteration: D step then G step, fresh z for each. */
  run(): void;
}

export function ganIteration(model: BenchModel): GanIteration {
  const rng = new Rng(1406);
  const paper = model !== 'dcgan';
  const batch = paper ? 100 : 64;
  const generator = paper ? paperMnistGenerator({ seed: 1 }) : dcganGenerator({ seed: 1 });
  const discriminator = paper
    ? paperMnistDiscriminator({ seed: 2, dropoutRng: rng.fork() })
    : dcganDiscriminator({ seed: 2 });
  const dOpt = paper ? paperSgdMomentum() : adam({ learningRate: 2e-4, beta1: 0.5 });
  const gOpt = paper ? paperSgdMomentum() : adam({ learningRate: 2e-4, beta1: 0.5 });
  const prior = paper ? uniformPrior(100) : normalPrior(100);
  const real = tf.tensor2d(rng.fillUniform(new Float32Array(batch * 784), 0, 1), [batch, 784]);
  const it: GanIteration = {
    batch,
    sampleNoise: () => [prior.sample(batch, rng), prior.sample(batch, rng)],
    dStep: (z) =>
      void (model === 'paper-simultaneous' || model === 'paper-shared'
        ? simultaneousStep({
            generator,
            discriminator,
            dOptimizer: dOpt,
            gOptimizer: gOpt,
            real,
            z,
            sharedForward: model === 'paper-shared',
          })
        : discriminatorStep({ generator, discriminator, optimizer: dOpt, real, z })),
    gStep: (z) => {
      if (model === 'paper' || model === 'dcgan') generatorStep({ generator, discriminator, optimizer: gOpt, z });
    },
    run: () => {
      const [zd, zg] = it.sampleNoise();
      it.dStep(zd);
      it.gStep(zg);
      tf.dispose([zd, zg]);
    },
  };
  return it;
}
