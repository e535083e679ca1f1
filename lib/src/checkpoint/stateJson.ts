/**
 * States (Rng, data sources) are mostly plain JSON, but may hold typed arrays (a shuffled order), which
 * JSON.stringify would turn into {"0": .., "1": ..}. These tag them so they come back as typed arrays.
 */
const TYPED = {
  Float32Array,
  Float64Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
} as const;
type TypedName = keyof typeof TYPED;

export function toJsonValue(value: unknown): unknown {
  if (value == null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return { $number: String(value) };
    return value;
  }
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name as TypedName;
    if (!(name in TYPED)) throw new Error(`checkpoint: cannot store a ${name} in a state`);
    return { $typedArray: name, values: Array.from(value as unknown as ArrayLike<number>) };
  }
  if (Array.isArray(value)) return value.map(toJsonValue);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJsonValue(v);
  return out;
}

export function fromJsonValue(value: unknown): unknown {
  if (value == null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(fromJsonValue);
  const o = value as Record<string, unknown>;
  if (typeof o.$typedArray === 'string' && Array.isArray(o.values)) {
    const ctor = TYPED[o.$typedArray as TypedName];
    if (!ctor) throw new Error(`unknown typed array ${o.$typedArray}`);
    return ctor.from(o.values as number[]);
  }
  if (typeof o.$number === 'string' && Object.keys(o).length === 1) return Number(o.$number);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = fromJsonValue(v);
  return out;
}
