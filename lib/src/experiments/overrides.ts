/**
 * `tsgan train --set key=value`: any field of an experiment (experiment.ts) by its dotted path, e.g.
 * `optimizer.learningRate=0.05`, `prior.kind=normal`, `generator.hidden=[512,512]`. A value is checked
 * against the field it replaces (a number for a number, an integer for a count, true/false, an array of
 * numbers, one of the allowed words for a field that names a kind), so a typo fails before anything runs.
 * The overrides belong to a run's settings (RunSettings.overrides, run.ts): the checkpoint and
 * settings.json record them, and a resumed or evaluated run rebuilds the same experiment from them.
 */
import { GENERATOR_LOSS_VARIANTS } from '../losses';
import { TRAIN_MODES } from '../train';
import { Experiment } from './experiment';

export type OverrideValue = number | boolean | string | readonly number[];
/** Dotted field path → value; absent or empty: the experiment as written. */
export type Overrides = { readonly [key: string]: OverrideValue };

/** A key or value that does not fit the experiment (the CLI turns it into exit code 2). */
export class OverrideError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OverrideError';
  }
}

/** Fields that name a kind or a mode: the words each accepts. */
const CHOICES: { readonly [key: string]: readonly string[] } = {
  'prior.kind': ['uniform', 'normal'],
  'optimizer.kind': ['sgdMomentum', 'adam'],
  'losses.kind': ['minimax', 'leastSquares'],
  'losses.generator': GENERATOR_LOSS_VARIANTS,
  'update.mode': TRAIN_MODES,
};

/** What a kind needs besides the fields every kind has: set with the kind when the experiment lacks them. */
const KIND_FIELDS: {
  readonly [kindKey: string]: { readonly [kind: string]: { required: string[]; optional: string[] } };
} = {
  'prior.kind': { uniform: { required: ['halfWidth'], optional: [] }, normal: { required: [], optional: [] } },
  'optimizer.kind': {
    sgdMomentum: { required: ['decayFactor', 'minLearningRate', 'momentumSchedule'], optional: [] },
    adam: { required: [], optional: ['beta1', 'beta2', 'epsilon'] },
  },
  'losses.kind': {
    minimax: { required: ['discriminatorScale', 'generator'], optional: [] },
    leastSquares: { required: [], optional: [] },
  },
};

/** Number fields that count something: integers only. */
const INTEGER_FIELDS = new Set([
  'trainCount', 'validationCount', 'testCount', 'dim', 'latentDim', 'outputDim', 'inputDim', 'pieces', 'k',
  'batchSize', 'epochs', 'seed', 'everyEpochs', 'centres', 'num', 'realCentres', 'iterations', 'rows', 'cols',
  'samples', 'steps', 'startEpoch', 'endEpoch',
]); // prettier-ignore

/** Fields that say what the experiment is, not how it runs. */
const FIXED = new Set(['name', 'reference', 'table1', 'data.source']);

/** `key=value` from the command line: the value as JSON when it parses (numbers, true, [1,2]), else the word. */
export function parseOverride(text: string): [string, OverrideValue] {
  const eq = text.indexOf('=');
  if (eq <= 0)
    throw new OverrideError(`--set ${JSON.stringify(text)}: write key=value, e.g. --set optimizer.learningRate=0.05`);
  const key = text.slice(0, eq).trim();
  const raw = text.slice(eq + 1).trim();
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // a bare word such as normal or adam
  }
  const ok =
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    typeof value === 'string' ||
    (Array.isArray(value) && value.every((v) => typeof v === 'number'));
  if (!ok) throw new OverrideError(`--set ${key}: ${raw} is not a number, true/false, a word or an array of numbers`);
  return [key, value as OverrideValue];
}

/** `experiment` with `overrides` applied (a new object; the registry's stays as written). */
export function applyOverrides(experiment: Experiment, overrides: Overrides = {}): Experiment {
  const keys = Object.keys(overrides);
  if (keys.length === 0) return experiment;
  const out = structuredClone(experiment) as unknown as Record<string, unknown>;
  const kinds = new Map<string, string>(); // kind key → the kind set now
  for (const key of keys) if (CHOICES[key] && key.endsWith('.kind')) kinds.set(key, String(overrides[key]));
  for (const key of keys) {
    const value = overrides[key];
    const parts = key.split('.');
    if (FIXED.has(key) || FIXED.has(parts[0]))
      throw new OverrideError(`--set ${key}: it says what the experiment is; choose another --experiment instead`);
    const parent = resolveParent(out, parts, experiment.name, key);
    const field = parts[parts.length - 1];
    const kindKey = [...parts.slice(0, -1), 'kind'].join('.');
    const allowedNew = kinds.has(kindKey) ? kindFields(kindKey, kinds.get(kindKey)!) : [];
    if (!(field in parent) && !allowedNew.includes(field)) {
      throw new OverrideError(
        `--set ${key}: ${experiment.name} has no such field (${parts.slice(0, -1).join('.') || 'top level'}: ${Object.keys(parent).join(', ')})`,
      );
    }
    parent[field] = checkedValue(key, field, parent[field], value);
  }
  for (const [kindKey, kind] of kinds) {
    const group = resolveParent(out, kindKey.split('.'), experiment.name, kindKey);
    // the old kind's own fields go (settings.json shows what runs), unless this command set them
    const before = resolveParent(
      experiment as unknown as Record<string, unknown>,
      kindKey.split('.'),
      experiment.name,
      kindKey,
    );
    const keep = kindFields(kindKey, kind);
    for (const f of kindFields(kindKey, String(before.kind)))
      if (!keep.includes(f) && !keys.includes(kindKey.replace(/kind$/, f))) delete group[f];
    const missing = (KIND_FIELDS[kindKey]?.[kind]?.required ?? []).filter((f) => group[f] === undefined);
    if (missing.length)
      throw new OverrideError(
        `--set ${kindKey}=${kind} also needs ${missing.map((f) => `${kindKey.replace(/kind$/, f)}=…`).join(', ')}`,
      );
  }
  for (const net of ['generator', 'discriminator'] as const) {
    const changed = keys.filter((k) => k.startsWith(`${net}.`));
    const spec = out[net] as { layers: string };
    if (changed.length)
      spec.layers += ` (with --set ${changed.map((k) => `${k}=${JSON.stringify(overrides[k])}`).join(' ')})`;
  }
  const e = out as unknown as Experiment;
  if (e.prior.dim !== e.generator.latentDim)
    throw new OverrideError(`--set: prior.dim ${e.prior.dim} must equal generator.latentDim ${e.generator.latentDim}`);
  return e;
}

function kindFields(kindKey: string, kind: string): string[] {
  const f = KIND_FIELDS[kindKey]?.[kind];
  return f ? [...f.required, ...f.optional] : [];
}

function resolveParent(
  root: Record<string, unknown>,
  parts: string[],
  name: string,
  key: string,
): Record<string, unknown> {
  let node: unknown = root;
  for (const p of parts.slice(0, -1)) {
    const next =
      typeof node === 'object' && node !== null && !Array.isArray(node)
        ? (node as Record<string, unknown>)[p]
        : undefined;
    if (typeof next !== 'object' || next === null || Array.isArray(next))
      throw new OverrideError(`--set ${key}: ${name} has no group ${JSON.stringify(p)} on that path`);
    node = next;
  }
  return node as Record<string, unknown>;
}

function checkedValue(key: string, field: string, current: unknown, value: OverrideValue): OverrideValue {
  const wrong = (what: string) => new OverrideError(`--set ${key}=${JSON.stringify(value)}: ${what}`);
  if (typeof current === 'object' && current !== null && !Array.isArray(current))
    throw wrong(
      `${key} is a group (${Object.keys(current).join(', ')}): set its fields, e.g. --set ${key}.${Object.keys(current)[0]}=…`,
    );
  const choices = CHOICES[key];
  if (choices) {
    if (typeof value !== 'string' || !choices.includes(value)) throw wrong(`must be one of ${choices.join(', ')}`);
    return value;
  }
  const expected = Array.isArray(current) ? 'array' : current === undefined ? 'number' : typeof current;
  if (expected === 'array') {
    if (!Array.isArray(value) || !value.every((v) => Number.isFinite(v)))
      throw wrong('must be an array of numbers, e.g. [512,512]');
    return value;
  }
  if (expected === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw wrong('must be a number');
    if (INTEGER_FIELDS.has(field) && !Number.isInteger(value)) throw wrong('must be an integer');
    return value;
  }
  if (typeof value !== expected) throw wrong(`must be ${expected === 'boolean' ? 'true or false' : `a ${expected}`}`);
  return value;
}

/** A stable text of the overrides (keys sorted), to compare a resumed run's with its checkpoint's. */
export function overridesText(o: Overrides | undefined): string {
  return JSON.stringify(Object.fromEntries(Object.entries(o ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))));
}
