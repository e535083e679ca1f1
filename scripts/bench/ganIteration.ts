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
  iterationFlops,
  netOf,
  normalPrior,
  paperMnistDiscriminator,
  paperMnistGenerator,
  paperSgdMomentum,
  Rng,
  simultaneousFlops,
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

const isSimultaneous = (model: BenchModel) => model === 'paper-simultaneous' || model === 'paper-shared';
const batchOf = (model: BenchModel) => (model === 'dcgan' ? 64 : 100);

/** G and D of a bench model, as the lib builds them. */
function nets(model: BenchModel, rng: Rng): { generator: tf.LayersModel; discriminator: tf.LayersModel } {
  const paper = model !== 'dcgan';
  return {
    generator: paper ? paperMnistGenerator({ seed: 1 }) : dcganGenerator({ seed: 1 }),
    discriminator: paper
      ? paperMnistDiscriminator({ seed: 2, dropoutRng: rng.fork() })
      : dcganDiscriminator({ seed: 2 }),
  };
}

/** The arithmetic of one iteration, counted from the layers of the nets the benchmark runs (gan.netOf). */
export function flopsPerIteration(model: BenchModel): number {
  const { generator, discriminator } = nets(model, new Rng(1406));
  const [g, d] = [netOf(generator), netOf(discriminator)];
  generator.dispose();
  discriminator.dispose();
  return isSimultaneous(model)
    ? simultaneousFlops(g, d, batchOf(model), model === 'paper-shared')
    : iterationFlops(g, d, batchOf(model)).total;
}

export function ganIteration(model: BenchModel): GanIteration {
  const rng = new Rng(1406);
  const paper = model !== 'dcgan';
  const batch = batchOf(model);
  const { generator, discriminator } = nets(model, rng);
  const dOpt = paper ? paperSgdMomentum() : adam({ learningRate: 2e-4, beta1: 0.5 });
  const gOpt = paper ? paperSgdMomentum() : adam({ learningRate: 2e-4, beta1: 0.5 });
  const prior = paper ? uniformPrior(100) : normalPrior(100);
  const real = tf.tensor2d(rng.fillUniform(new Float32Array(batch * 784), 0, 1), [batch, 784]);
  const it: GanIteration = {
    batch,
    sampleNoise: () => [prior.sample(batch, rng), prior.sample(batch, rng)],
    dStep: (z) =>
      void (isSimultaneous(model)
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
