/** `tsgan export <run> --out DIR`: the models without optimiser state, small enough to ship in a repository. */
import * as path from 'path';
import { say, warn } from './io';
import { initBackend } from '../backend';
import { saveCheckpoint } from '../checkpoint';
import { choiceFlag, parseFlags, pathFlag, userPath } from './args';
import { userCwdNote } from './userPath';
import { checkpointDirOf, loadRunModels } from '../experiments/runFolder';
import { checkExportTarget } from '../experiments/ownedFolders';
import { EXPORT_USAGE, UsageError } from './usage';

export async function exportCommand(argv: string[]): Promise<number> {
  const p = parseFlags(argv, { out: { type: 'string' }, backend: { type: 'string' } }, EXPORT_USAGE, true);
  if (p.values.help) {
    say(EXPORT_USAGE);
    return 0;
  }
  if (p.positionals.length !== 1)
    throw new UsageError('Give exactly one run folder or checkpoint folder to export', EXPORT_USAGE);
  const out = pathFlag(p, 'out', EXPORT_USAGE);
  if (!out) throw new UsageError('--out DIR is required (e.g. --out models/paper-mnist)', EXPORT_USAGE);
  const backend = choiceFlag(p, 'backend', EXPORT_USAGE, ['wasm', 'cpu', 'tensorflow'] as const);
  const source = userPath(p.positionals[0], EXPORT_USAGE);
  const note = userCwdNote();
  if (note) warn(`note: ${note}`);
  checkExportTarget(out, checkpointDirOf(source)); // before anything is loaded: a run's checkpoint is never replaced
  await initBackend({ backend });
  const loaded = await loadRunModels(source);
  // The run's folder name, not its path: an exported model is shipped, and a path names someone's machine.
  const dir = loaded.checkpointDir;
  const exportedFrom = path.basename(path.basename(dir) === 'checkpoint' ? path.dirname(dir) : dir);
  const saved = await saveCheckpoint(out, {
    generator: loaded.run.generator,
    discriminator: loaded.run.discriminator,
    step: loaded.step,
    epoch: loaded.epoch,
    meta: { ...loaded.meta, exportedFrom },
  });
  say(
    `Exported G and D after ${loaded.epoch} epochs to ${saved.dir} (${(saved.manifest.weights.bytes / 1e6).toFixed(1)} MB of weights)`,
  );
  loaded.run.dispose();
  return 0;
}
