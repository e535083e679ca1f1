/**
 * A trained G of an experiment for a notebook: the first of `candidates` that holds a checkpoint (a run of
 * the reader's own, or the shipped model), or else a brief run from scratch under a live view, so that a
 * reader with neither can still run every cell below (its samples are blurry shapes at best). Notebook 06
 * calls it; its cell stays one line of what, not thirty of how.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { MANIFEST_FILE } from '../checkpoint';
import { displayPath } from '../host/projectPath';
import { generateImages } from '../models';
import { Prior } from '../random';
import { trainGan } from '../train';
import { imageGridPng, liveTrainingView } from '../viz';
import { Experiment } from './experiment';
import { loadMnistSplit, MnistSplit } from './mnist';
import { CHECKPOINT_DIR, describeTraining, loadRunModels, runDirOf } from './runFolder';
import { createRun, defaultRunSettings, trainConfigOf } from './run';

export interface TrainedGenerator {
  generator: tf.LayersModel;
  prior: Prior;
  /** The experiment's MNIST split that G was trained on (its validation and test images score it). */
  data: MnistSplit;
  /** How long G trained: "360 epochs" for a checkpoint, "20 steps" for the brief run. */
  label: string;
  /** The candidate loaded, or null when G was trained briefly here. */
  loadedFrom: string | null;
  /** The run folder of that checkpoint (its validation.jsonl and results.json live there), or null. */
  runFolder: string | null;
}

export interface TrainedGeneratorOptions {
  /** Folders to try, in order: a run folder (with checkpoint/) or a checkpoint folder; missing ones are skipped. */
  candidates: readonly (string | undefined)[];
  /** Steps of the brief run when no candidate has a checkpoint. */
  steps: number;
  /** Training images of the brief run. */
  trainCount: number;
}

const hasCheckpoint = (d: string) =>
  fs.existsSync(path.join(d, CHECKPOINT_DIR, MANIFEST_FILE)) || fs.existsSync(path.join(d, MANIFEST_FILE));

/** Loads the first candidate with a checkpoint, or trains briefly; prints one line saying which it did. */
export async function trainedGeneratorOrBrief(
  experiment: Experiment,
  options: TrainedGeneratorOptions,
): Promise<TrainedGenerator> {
  const candidates = options.candidates.filter((d): d is string => Boolean(d));
  const found = candidates.find(hasCheckpoint);
  if (found) {
    const loaded = await loadRunModels(found);
    const m = loaded.meta;
    console.log(
      `Loaded ${displayPath(loaded.checkpointDir)}: ${loaded.epoch} epochs (${loaded.step} steps), seed ${m.settings.seed}, ` +
        `${m.settings.mode} updates, ${(m.trainSeconds / 3600).toFixed(2)} h of training on ${m.backend}.`,
    );
    return {
      generator: loaded.run.generator,
      prior: loaded.run.prior,
      data: loaded.data,
      label: describeTraining(loaded.epoch, loaded.step, m.settings),
      loadedFrom: found,
      runFolder: runDirOf(loaded.checkpointDir),
    };
  }
  const { steps } = options;
  console.log(
    `No checkpoint in ${candidates.map(displayPath).join(', ')}: training briefly (${steps} steps) so that the cells below run.`,
  );
  const settings = { ...defaultRunSettings(experiment), trainCount: options.trainCount };
  const data = loadMnistSplit(experiment.data, settings.trainCount);
  const run = createRun(settings, data.train, experiment);
  const view = liveTrainingView({
    title: `${experiment.name}: the first steps`,
    total: steps,
    imageCaption: 'G on fixed noise',
  });
  const history = await trainGan({ ...trainConfigOf(run), steps, onStep: (info) => view.update(info) });
  const last = (a: number[]) => a[a.length - 1];
  view.update(
    {
      step: history.finalStep,
      dLoss: last(history.dLoss),
      gLoss: last(history.gLoss),
      dReal: last(history.dReal),
      dFake: last(history.dFake),
    },
    imageGridPng(generateImages(run.generator, run.fixedNoise, 100), { rows: 10, cols: 10, scale: 2 }),
  );
  view.done();
  return {
    generator: run.generator,
    prior: run.prior,
    data,
    label: `${history.finalStep} steps`,
    loadedFrom: null,
    runFolder: null,
  };
}
