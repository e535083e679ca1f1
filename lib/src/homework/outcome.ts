/**
 * What a check finds, and the pieces every check shares: calling the student's function safely (an error,
 * a stub that says "not implemented", a leaked tensor), reading its answer as numbers, comparing numbers.
 */
import * as tf from '@tensorflow/tfjs';

export type Status = 'pass' | 'partial' | 'fail' | 'not attempted';

export interface Outcome {
  status: Status;
  /** Fraction of the exercise's points earned, 0 … 1. */
  fraction: number;
  message: string;
  /** The named mistake, when a wrong answer matches a known one (e.g. 'sign flipped'). */
  mistake?: string;
}

export interface CheckResult extends Outcome {
  id: string;
  title: string;
  points: number;
  score: number;
}

/** The stubs of the released notebooks throw this message (and so may a student's unfinished function). */
export const NOT_IMPLEMENTED = 'not implemented';

export class NotAttempted extends Error {}

/**
 * What running a student's function on one case gave, as the sandboxed child reports it: plain data the parent
 * judges (never a score). The fields depend on the exercise (see runners.ts); the parent checks their types.
 */
export type Raw = { [key: string]: unknown };

// JSON has no NaN or ±Infinity, and a wrong answer is often exactly that: they travel as tagged strings.
const NON_FINITE = '__tsgan_number:';
export const encodeRaw = (v: unknown): string =>
  JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? NON_FINITE + String(x) : x));
/** A list of numbers from untrusted data: anything else in it becomes NaN (and fails). */
export const asNumbers = (x: unknown): number[] => (Array.isArray(x) ? x.map((v) => (typeof v === 'number' ? v : NaN)) : []);

/** An Attempt from untrusted data (the child's report), with the types checked and the error message capped. */
export function asAttempt(r: unknown): Attempt {
  const o = (r ?? {}) as Raw;
  if (o.ok === true) {
    return { ok: true, values: asNumbers(o.values), shape: asNumbers(o.shape), leaked: typeof o.leaked === 'number' ? o.leaked : 0 };
  }
  return { ok: false, error: typeof o.error === 'string' ? o.error.split('\n')[0].slice(0, 300) : 'no result' };
}

export const decodeRaw = (s: string): unknown =>
  JSON.parse(s, (_k, x) => (typeof x === 'string' && x.startsWith(NON_FINITE) ? Number(x.slice(NON_FINITE.length)) : x));

export type Attempt = { ok: true; values: number[]; shape: number[]; leaked: number } | { ok: false; error: string };

/**
 * Calls the student's code and reads its answer as numbers (tensors are disposed), counting tensors left
 * behind. A throw becomes { ok: false }; the stub's "not implemented" becomes NotAttempted.
 */
export function attempt(f: () => unknown): Attempt {
  const before = tf.memory().numTensors;
  try {
    const { values, shape } = numbers(f());
    return { ok: true, values, shape, leaked: tf.memory().numTensors - before };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (msg.toLowerCase().includes(NOT_IMPLEMENTED)) throw new NotAttempted(msg);
    return { ok: false, error: msg.split('\n')[0] };
  }
}

/** A number, an array (nested) or a tensor as a flat list of numbers and its shape; tensors are disposed. */
export function numbers(v: unknown): { values: number[]; shape: number[] } {
  if (v && typeof (v as PromiseLike<unknown>).then === 'function') {
    throw new Error('it returned a Promise: write a synchronous function (no async, no await; use dataSync(), not data())');
  }
  if (v instanceof tf.Tensor) {
    const out = { values: Array.from(v.dataSync()), shape: [...v.shape] };
    v.dispose();
    return out;
  }
  if (typeof v === 'number') return { values: [v], shape: [] };
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const arr = Array.from(v as ArrayLike<unknown>);
    if (arr.length > 0 && (Array.isArray(arr[0]) || ArrayBuffer.isView(arr[0]))) {
      const rows = arr.map(numbers);
      return { values: rows.flatMap((r) => r.values), shape: [arr.length, ...(rows[0]?.shape ?? [])] };
    }
    return { values: arr.map((x) => (typeof x === 'number' ? x : NaN)), shape: [arr.length] };
  }
  return { values: [NaN], shape: [] };
}

export const RTOL = 1e-4;
export const ATOL = 1e-5;

export function close(got: number, want: number, rtol = RTOL, atol = ATOL): boolean {
  return Number.isFinite(got) && Math.abs(got - want) <= atol + rtol * Math.abs(want);
}

export function allClose(got: ArrayLike<number>, want: ArrayLike<number>, rtol = RTOL, atol = ATOL): boolean {
  if (got.length !== want.length) return false;
  for (let i = 0; i < got.length; i++) if (!close(got[i], want[i], rtol, atol)) return false;
  return true;
}

/** Like allClose, but NaN matches NaN and ±Infinity itself: for recognising a mistake that produces them. */
export function sameNumbers(got: ArrayLike<number>, want: ArrayLike<number>, rtol = 1e-3): boolean {
  if (got.length !== want.length) return false;
  for (let i = 0; i < got.length; i++) {
    const a = got[i];
    const b = want[i];
    if (Number.isNaN(a) || Number.isNaN(b) || !Number.isFinite(a) || !Number.isFinite(b)) {
      if (!(Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)))) return false;
    } else if (Math.abs(a - b) > 1e-5 + rtol * Math.abs(b)) return false;
  }
  return true;
}

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(4) : String(Number(x.toPrecision(6)));
}

export function fmtList(xs: number[], max = 4): string {
  const shown = xs.slice(0, max).map(fmt).join(', ');
  return xs.length > max ? `[${shown}, …] (${xs.length} values)` : `[${shown}]`;
}

export const pass = (message: string): Outcome => ({ status: 'pass', fraction: 1, message });
export const fail = (message: string, mistake?: string): Outcome => ({ status: 'fail', fraction: 0, message, mistake });
export const partial = (fraction: number, message: string, mistake?: string): Outcome => ({ status: 'partial', fraction, message, mistake });
