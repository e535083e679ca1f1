/**
 * The on-disk format of a tsgan checkpoint: one directory holding
 *   weights.bin   every tensor (model weights, optimiser slots) as float32 little endian, back to back;
 *   manifest.json what each byte range is (name, shape, offset), the sha256 of weights.bin, the step and
 *                 epoch, optimiser counters, dropout/noise/data states and free-form metadata.
 *                 A checksum over the manifest (which holds weights.bin's sha256) covers the whole checkpoint.
 * manifest.json is written last, so a directory without one is an unfinished save.
 */
import type { ManifestChecksum } from '../host/manifestChecksum';

export const CHECKPOINT_FORMAT = 'tsgan-checkpoint';
export const CHECKPOINT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const WEIGHTS_FILE = 'weights.bin';

export type ModelRole = 'generator' | 'discriminator';
export type OptimizerRole = 'dOptimizer' | 'gOptimizer';
export const MODEL_OF: Readonly<Record<OptimizerRole, ModelRole>> = {
  dOptimizer: 'discriminator',
  gOptimizer: 'generator',
};

export interface TensorEntry {
  /** 'generator/3' (the model's 4th weight) or 'dOptimizer/velocity/3' (the slot of D's 4th weight). */
  key: string;
  /** The variable's name when saved (informational: layer names differ between model instances). */
  name: string;
  shape: number[];
  dtype: 'float32';
  /** Byte offset and length in weights.bin. */
  offset: number;
  bytes: number;
}

export interface ModelEntry {
  name: string;
  /** Number of weights (trainable first, then non-trainable, as model.weights lists them). */
  weights: number;
  /** Rng states of the model's seeded dropout layers, in layer order. */
  dropout: { layer: string; rng: unknown }[];
}

export interface OptimizerEntry {
  kind: string;
  config: { [key: string]: unknown };
  counters: { [key: string]: number };
  /** slots[slotName] = indices into the model's weights that have this slot (tensors keyed `<role>/<slot>/<index>`). */
  slots: { [slotName: string]: number[] };
}

/**
 * What a checkpoint's caller stores beside the tensors: any JSON object (typed arrays tagged). The writer
 * knows its shape (e.g. experiments/runFolder.ts: RunMeta); a reader checks it with a type guard.
 */
export type CheckpointMeta = { readonly [key: string]: unknown };

export interface CheckpointManifest {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  step: number;
  epoch: number;
  savedAt: string;
  weights: { file: string; bytes: number; sha256: string };
  tensors: TensorEntry[];
  models: { [role in ModelRole]: ModelEntry };
  optimizers: { [role in OptimizerRole]?: OptimizerEntry };
  /** Other states by name (noise Rng, data source, ...), JSON with typed arrays tagged. */
  states: { [name: string]: unknown };
  meta: CheckpointMeta;
  /** Over this manifest and, through weights.sha256, weights.bin (host/manifestChecksum.ts); absent in old saves. */
  checksum?: ManifestChecksum;
}
