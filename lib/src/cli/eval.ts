/** `tsgan eval parzen <run>`: Table 1's protocol for a trained G, beside the experiment's reference rows and two baselines. */
import * as path from 'path';
import { say, warn } from './io';
import { terminalBar } from './progressBar';
import { initBackend } from '../backend';
import {
  evaluateParzen,
  parzenMarkdownTable,
  parzenTextTable,
  ParzenEvaluation,
  ParzenResults,
  RESULTS_FILE,
} from '../experiments';
import { choiceFlag, intFlag, parseFlags, pathFlag, userPath } from './args';
import { userCwdNote } from './userPath';
import { describeTraining, loadRunModels, outputDirOf, runDirOf } from '../experiments/runFolder';
import { writeFileAtomic } from '../host/atomicFile';
import { prepareReportFolder } from '../experiments/ownedFolders';
import { EVAL_USAGE, UsageError } from './usage';

export async function evalCommand(argv: string[]): Promise<number> {
  const p = parseFlags(
    argv,
    {
      samples: { type: 'string' },
      'validation-count': { type: 'string' },
      'test-count': { type: 'string' },
      baselines: { type: 'boolean' },
      'kmeans-iterations': { type: 'string' },
      seed: { type: 'string' },
      backend: { type: 'string' },
      out: { type: 'string' },
    },
    EVAL_USAGE,
    true,
  );
  if (p.values.help) {
    say(EVAL_USAGE);
    return 0;
  }
  const [metric, target, ...extra] = p.positionals;
  if (metric !== 'parzen')
    throw new UsageError(
      metric
        ? `Unknown metric "${metric}"; the only one is parzen`
        : 'Say which metric: tsgan eval parzen <run folder>',
      EVAL_USAGE,
    );
  if (!target)
    throw new UsageError('Give the run folder (the --out of tsgan train) or a checkpoint folder', EVAL_USAGE);
  if (extra.length) throw new UsageError(`Unexpected arguments: ${extra.join(' ')}`, EVAL_USAGE);
  const samplesFlag = intFlag(p, 'samples', EVAL_USAGE, 1);
  const validationFlag = intFlag(p, 'validation-count', EVAL_USAGE, 1);
  const testFlag = intFlag(p, 'test-count', EVAL_USAGE, 1);
  const kMeansFlag = intFlag(p, 'kmeans-iterations', EVAL_USAGE, 0);
  const seedFlag = intFlag(p, 'seed', EVAL_USAGE, 0, undefined, 0xffffffff);
  const backendName = choiceFlag(p, 'backend', EVAL_USAGE, ['wasm', 'cpu', 'tensorflow'] as const);

  const t0 = Date.now();
  const backend = await initBackend({ backend: backendName });
  const outFlag = pathFlag(p, 'out', EVAL_USAGE);
  const note = userCwdNote();
  if (note) warn(`note: ${note}`);
  const loaded = await loadRunModels(userPath(target, EVAL_USAGE));
  const outDir = outFlag ?? outputDirOf(loaded.checkpointDir);
  prepareReportFolder(outDir); // before minutes of computing: refuses a checkpoint folder or one that cannot be written
  const s = loaded.meta.settings;
  const seed = seedFlag ?? s.seed;
  const { experiment } = loaded.run;
  const P = experiment.parzen;
  const samples = samplesFlag ?? P.centres;
  const tooMany = (flag: string, n: number | undefined, max: number) => {
    if (n !== undefined && n > max)
      throw new UsageError(`--${flag} ${n} is more than the ${max} images ${experiment.name} has for it`, EVAL_USAGE);
  };
  tooMany('validation-count', validationFlag, experiment.data.validationCount);
  tooMany('test-count', testFlag, experiment.data.testCount);

  const bar = terminalBar('{stage} {bar} {value}/{total} | ETA {eta_formatted}');
  let stage = '';
  const evaluation: ParzenEvaluation = await evaluateParzen(loaded.run.generator, loaded.run.prior, loaded.data, {
    samples,
    validationCount: validationFlag,
    testCount: testFlag,
    evalSeed: seed,
    baselines: Boolean(p.values.baselines),
    kMeansIterations: kMeansFlag,
    experiment,
    kMeansCacheDir: path.join(outDir, 'baselines'),
    modelLabel: `This run: G after ${describeTraining(loaded.epoch, loaded.step, s)} (${samples} samples)`,
    onProgress: (st, done, total) => {
      if (!bar) {
        if (st !== stage) warn(`${st}…`);
      } else if (st !== stage) bar.start(total, done, { stage: st.padEnd(40) });
      else bar.update(done);
      stage = st;
    },
  });
  bar?.stop();
  const seconds = (Date.now() - t0) / 1000;
  const results: ParzenResults = {
    experiment: s.experiment,
    checkpoint: loaded.checkpointDir,
    epochs: loaded.epoch,
    steps: loaded.step,
    trainSeconds: loaded.meta.trainSeconds,
    trainBackend: loaded.meta.backend,
    trainSettings: s,
    evalBackend: backend.backend,
    evalSeconds: seconds,
    evalSeed: seed,
    protocol: {
      centres: samples,
      sigmaGrid: `numpy.logspace(${P.sigmaGrid.start}, ${P.sigmaGrid.stop}, ${P.sigmaGrid.num})`,
      validationImages: evaluation.validationCount,
      testImages: evaluation.testCount,
      paperProtocol:
        samples === P.centres &&
        evaluation.validationCount === P.validationCount &&
        evaluation.testCount === P.testCount,
    },
    parzen: evaluation.model,
    baselines: evaluation.baselines,
    table1: parzenTextTable(evaluation, experiment.table1),
    time: new Date().toISOString(),
  };
  const md = [
    `# Parzen-window log-likelihood, MNIST test set`,
    '',
    results.protocol.paperProtocol
      ? `Protocol of the paper (parzen_ll.py): ${P.centres} centres, σ from logspace(${P.sigmaGrid.start}, ${P.sigmaGrid.stop}, ${P.sigmaGrid.num}) on the first ${P.validationCount} validation images, mean ± std/√N over the ${P.testCount} test images.`
      : `**Reduced protocol** (not comparable with Table 1): ${samples} centres, σ on ${evaluation.validationCount} validation images, ${evaluation.testCount} test images.`,
    '',
    parzenMarkdownTable(evaluation, experiment.table1),
    '',
    `| Run | |`,
    `|---|---|`,
    `| epochs | ${loaded.epoch} (${loaded.step} steps of batch ${s.batchSize}) |`,
    `| training wall time | ${(loaded.meta.trainSeconds / 3600).toFixed(2)} h on ${loaded.meta.backend} |`,
    `| seed | ${s.seed} (samples: ${seed}) |`,
    `| update | ${s.mode}${s.mode === 'alternating' ? `, k = ${s.k}` : ''} |`,
    `| training images | ${s.trainCount} |`,
    `| evaluation | ${seconds.toFixed(0)} s on ${backend.backend} |`,
    '',
  ].join('\n');
  writeFileAtomic(path.join(outDir, RESULTS_FILE), JSON.stringify(results, null, 2) + '\n');
  writeFileAtomic(path.join(outDir, 'results.md'), md);
  say(results.table1);
  say(
    `\n${results.protocol.paperProtocol ? '' : 'Reduced protocol: not comparable with Table 1. '}Wrote ${path.join(outDir, RESULTS_FILE)} and results.md (${seconds.toFixed(0)} s).`,
  );
  if (!outFlag && outDir !== runDirOf(loaded.checkpointDir))
    say(`(${loaded.checkpointDir} is a model folder and stays as it is; --out DIR writes elsewhere.)`);
  loaded.run.dispose();
  return 0;
}
