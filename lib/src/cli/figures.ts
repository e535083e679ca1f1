/** `tsgan figures <run>`: the paper's Figures 2 and 3 for a trained G. */
import * as path from 'path';
import { say, warn } from './io';
import { initBackend } from '../backend';
import { evaluationRng } from '../experiments';
import { figure2, figure3, writePng } from '../viz';
import { choiceFlag, intFlag, parseFlags, pathFlag, userPath } from './args';
import { userCwdNote } from './userPath';
import { describeTraining, loadRunModels, outputDirOf, runDirOf } from '../experiments/runFolder';
import { prepareReportFolder } from '../experiments/ownedFolders';
import { FIGURES_USAGE, UsageError } from './usage';

export async function figuresCommand(argv: string[]): Promise<number> {
  const p = parseFlags(
    argv,
    { out: { type: 'string' }, seed: { type: 'string' }, scale: { type: 'string' }, backend: { type: 'string' } },
    FIGURES_USAGE,
    true,
  );
  if (p.values.help) {
    say(FIGURES_USAGE);
    return 0;
  }
  if (p.positionals.length !== 1)
    throw new UsageError('Give exactly one run folder (the --out of tsgan train) or checkpoint folder', FIGURES_USAGE);
  const scale = intFlag(p, 'scale', FIGURES_USAGE, 1, 2, 16);
  const seedFlag = intFlag(p, 'seed', FIGURES_USAGE, 0, undefined, 0xffffffff);
  await initBackend({ backend: choiceFlag(p, 'backend', FIGURES_USAGE, ['wasm', 'cpu', 'tensorflow'] as const) });
  const outFlag = pathFlag(p, 'out', FIGURES_USAGE);
  const note = userCwdNote();
  if (note) warn(`note: ${note}`);
  const loaded = await loadRunModels(userPath(p.positionals[0], FIGURES_USAGE));
  const out = outFlag ?? outputDirOf(loaded.checkpointDir);
  prepareReportFolder(out); // refuses a checkpoint folder, or one that cannot be written
  const rng = evaluationRng(seedFlag ?? loaded.meta.settings.seed).fork();
  const layout = loaded.run.experiment.figures;
  const f2 = await figure2(loaded.run.generator, loaded.run.prior, loaded.data.train, rng.fork(), {
    scale,
    ...layout.figure2,
  });
  const f3 = figure3(loaded.run.generator, loaded.run.prior, rng.fork(), { scale, ...layout.figure3 });
  writePng(path.join(out, 'figure2.png'), f2.png);
  writePng(path.join(out, 'figure3.png'), f3.png);
  say(
    `Wrote ${path.join(out, 'figure2.png')} (nearest training images: ${Array.from(f2.nearest).join(', ')}; squared distances ` +
      `${Array.from(f2.distances)
        .map((d) => d.toFixed(1))
        .join(
          ', ',
        )}) and ${path.join(out, 'figure3.png')} (G after ${describeTraining(loaded.epoch, loaded.step, loaded.meta.settings)})`,
  );
  if (!outFlag && out !== runDirOf(loaded.checkpointDir))
    say(`(${loaded.checkpointDir} is a model folder and stays as it is; --out DIR writes elsewhere.)`);
  loaded.run.dispose();
  return 0;
}
