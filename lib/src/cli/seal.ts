/**
 * `tsgan seal <folder>...`: adds the manifest checksum to checkpoints and model folders saved before tsgan
 * wrote one, so they load verified (without the "UNVERIFIED" warning). Every other check runs first (the
 * weights' sha256 among them); only manifest.json is rewritten, the weight files stay byte for byte.
 */
import * as fs from 'fs';
import * as path from 'path';
import { MANIFEST_FILE, sealCheckpoint } from '../checkpoint';
import { CLASSIFIER_FORMAT, sealClassifier } from '../classifier/weights';
import { BEST_DIR, CHECKPOINT_DIR } from '../experiments';
import { parseFlags, userPath } from './args';
import { say } from './io';
import { SEAL_USAGE, UsageError } from './usage';

export async function sealCommand(argv: string[]): Promise<number> {
  const p = parseFlags(argv, { force: { type: 'boolean' } }, SEAL_USAGE, true);
  const force = Boolean(p.values.force);
  if (p.values.help) {
    say(SEAL_USAGE);
    return 0;
  }
  if (p.positionals.length === 0) throw new UsageError('Give the folders to seal', SEAL_USAGE);
  for (const arg of p.positionals) {
    const dir = userPath(arg, SEAL_USAGE);
    const folders = [dir, path.join(dir, CHECKPOINT_DIR), path.join(dir, BEST_DIR)].filter((d) =>
      fs.existsSync(path.join(d, MANIFEST_FILE)),
    );
    if (folders.length === 0)
      throw new UsageError(
        `${dir} holds no ${MANIFEST_FILE} (nor checkpoint/ or best/ with one): nothing to seal`,
        SEAL_USAGE,
      );
    for (const d of folders)
      say(`${d}: ${sealOne(d, force) ? 'sealed (manifest.json rewritten, weights untouched)' : 'already sealed'}`);
  }
  return 0;
}

function sealOne(dir: string, force: boolean): boolean {
  let format: unknown;
  try {
    format = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')).format;
  } catch {
    format = undefined; // sealCheckpoint names the problem
  }
  return format === CLASSIFIER_FORMAT ? sealClassifier(dir, force) : sealCheckpoint(dir, force);
}
