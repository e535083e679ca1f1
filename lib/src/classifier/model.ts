/**
 * A small convolutional MNIST classifier: the judge of notebook 09, which asks whether a conditional G
 * draws the digit it was asked for. Small on purpose (≈ 80k weights, about 320 kB shipped): it must train
 * in minutes on a CPU with the wasm conv kernels, and still reach 99 % on the 10,000 test images.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';
import { checkSeed, glorotInit } from '../models/seeds';

/** The layers, as the shipped weights expect them: 28×28 → conv 5×5·16 → pool → conv 5×5·32 → pool → 128 → 10 logits. */
export function mnistClassifier(seed: number): tf.LayersModel {
  const rng = new Rng(checkSeed(seed, 'mnistClassifier'));
  const init = () => glorotInit(rng);
  return tf.sequential({
    name: 'mnist_classifier',
    layers: [
      tf.layers.reshape({ targetShape: [28, 28, 1], inputShape: [784] }),
      tf.layers.conv2d({
        filters: 16,
        kernelSize: 5,
        activation: 'relu',
        kernelInitializer: init(),
        biasInitializer: 'zeros',
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({
        filters: 32,
        kernelSize: 5,
        activation: 'relu',
        kernelInitializer: init(),
        biasInitializer: 'zeros',
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 128, activation: 'relu', kernelInitializer: init(), biasInitializer: 'zeros' }),
      tf.layers.dense({ units: 10, kernelInitializer: init(), biasInitializer: 'zeros' }),
    ],
  });
}
