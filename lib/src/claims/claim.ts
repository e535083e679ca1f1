/**
 * Claims: a notebook states what its own run shows and checks it on the spot. Each claim prints one
 * line a student can read ("✔ D(G(z)) after 100 steps: 0.31 (expected ≤ 0.4)"); a failed one (✘) also
 * writes a marker to stderr when the headless runner asks for it (TSGAN_CLAIM_MARKERS=1), so the test run
 * fails naming the claim while the browser shows only the friendly line.
 */
import { envFlag } from '../host/flags';
import { isQuickMode } from '../host/quickMode';

export type ClaimMode = 'full' | 'quick';

export interface ClaimRange {
  /** Inclusive lower bound. */
  min?: number;
  /** Inclusive upper bound. */
  max?: number;
}

export interface ClaimOptions {
  /** Check only in this mode (a claim that needs full mode's long training says so); the other mode prints that it was skipped. */
  onlyIn?: ClaimMode;
  /** Significant digits of the printed value (default 3). */
  digits?: number;
  /** One short sentence: why this is expected. */
  why?: string;
}

export type ClaimTrueOptions = Omit<ClaimOptions, 'digits'>;

/** Printed on stderr before a failed claim's name when TSGAN_CLAIM_MARKERS is set (read by scripts/run_notebooks.py). */
export const CLAIM_FAILED_MARKER = 'TSGAN-CLAIM-FAILED:';

const MODES: readonly string[] = ['full', 'quick'];

/**
 * Checks that a measured number lies in the expected range (bounds inclusive) and prints the verdict.
 * Returns whether it holds; true (not checked) in the mode other than `onlyIn`.
 */
export function claim(what: string, value: number, expect: ClaimRange, options: ClaimOptions = {}): boolean {
  checkWhat('claim', what);
  if (typeof value !== 'number') {
    throw new Error(
      `claim("${what}"): value must be a number, got ${typeof value}. Pass a number (e.g. tensor.dataSync()[0]).`,
    );
  }
  checkRange(what, expect);
  checkOptions('claim', what, options);
  const digits = options.digits ?? 3;
  if (!Number.isInteger(digits) || digits < 1 || digits > 15) {
    throw new Error(`claim("${what}"): options.digits must be an integer from 1 to 15, got ${digits}.`);
  }
  const range = describeRange(expect);
  if (skipped(what, options.onlyIn)) return true;
  const ok =
    Number.isFinite(value) &&
    (expect.min === undefined || value >= expect.min) &&
    (expect.max === undefined || value <= expect.max);
  report(ok, what, `${formatValue(value, digits)} (expected ${range})`, options.why);
  return ok;
}

/** Checks a yes/no statement; `detail` says what was measured (e.g. "D(x) = 0.8 > D(G(z)) = 0.3"). */
export function claimTrue(what: string, ok: boolean, detail: string, options: ClaimTrueOptions = {}): boolean {
  checkWhat('claimTrue', what);
  if (typeof ok !== 'boolean') {
    throw new Error(`claimTrue("${what}"): ok must be true or false, got ${typeof ok}. Compare first (e.g. a > b).`);
  }
  if (typeof detail !== 'string')
    throw new Error(`claimTrue("${what}"): detail must be a string saying what was measured.`);
  checkOptions('claimTrue', what, options);
  if (skipped(what, options.onlyIn)) return true;
  report(ok, what, detail, options.why);
  return ok;
}

/** Numbers as a reader wants them: `digits` significant digits, exponent only for very small or large magnitudes. */
export function formatValue(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(Math.max(0, digits - 1));
  return String(Number(v.toPrecision(digits)));
}

function describeRange(r: ClaimRange): string {
  if (r.min !== undefined && r.max !== undefined)
    return r.min === r.max ? `= ${bound(r.min)}` : `between ${bound(r.min)} and ${bound(r.max)}`;
  return r.min !== undefined ? `≥ ${bound(r.min)}` : `≤ ${bound(r.max as number)}`;
}

/** Bounds are often computed (Math.log(4) + 0.1): six significant digits, tiny ones as 1e-6. */
function bound(b: number): string {
  if (!Number.isFinite(b) || b === 0) return String(b);
  return Math.abs(b) < 1e-3 ? b.toExponential() : String(Number(b.toPrecision(6)));
}

function skipped(what: string, onlyIn: ClaimMode | undefined): boolean {
  if (onlyIn === undefined || (onlyIn === 'quick') === isQuickMode()) return false;
  const other = onlyIn === 'full' ? 'full mode (TSGAN_QUICK unset)' : 'quick mode (TSGAN_QUICK=1)';
  console.log(`· ${what}: only checked in ${other}`);
  return true;
}

function report(ok: boolean, what: string, body: string, why: string | undefined): void {
  console.log(`${ok ? '✔' : '✘'} ${what}: ${body}${why ? ` — ${why}` : ''}`);
  if (!ok && markersWanted()) console.error(`${CLAIM_FAILED_MARKER} ${what.replace(/\s+/g, ' ')}`);
}

function markersWanted(): boolean {
  return envFlag('TSGAN_CLAIM_MARKERS', false);
}

function checkWhat(fn: string, what: string): void {
  if (typeof what !== 'string' || !what.trim())
    throw new Error(`${fn}(what, …): what must be a non-empty string naming the claim.`);
}

function checkRange(what: string, r: ClaimRange): void {
  if (typeof r !== 'object' || r === null)
    throw new Error(`claim("${what}"): expect must be an object like { min: 0.4 } or { min: 0, max: 1 }.`);
  for (const key of Object.keys(r)) {
    if (key !== 'min' && key !== 'max')
      throw new Error(`claim("${what}"): unknown bound "${key}" in expect; use min and/or max.`);
  }
  if (r.min === undefined && r.max === undefined) throw new Error(`claim("${what}"): expect needs min, max or both.`);
  for (const key of ['min', 'max'] as const) {
    const b = r[key];
    if (b !== undefined && (typeof b !== 'number' || Number.isNaN(b)))
      throw new Error(`claim("${what}"): expect.${key} must be a number, got ${String(b)}.`);
  }
  if (r.min !== undefined && r.max !== undefined && r.min > r.max) {
    throw new Error(`claim("${what}"): expect.min (${r.min}) is above expect.max (${r.max}); swap them.`);
  }
}

function checkOptions(fn: string, what: string, o: ClaimOptions): void {
  if (typeof o !== 'object' || o === null) throw new Error(`${fn}("${what}"): options must be an object.`);
  if (o.onlyIn !== undefined && !MODES.includes(o.onlyIn)) {
    throw new Error(`${fn}("${what}"): options.onlyIn must be 'full' or 'quick', got ${JSON.stringify(o.onlyIn)}.`);
  }
  if (o.why !== undefined && typeof o.why !== 'string')
    throw new Error(`${fn}("${what}"): options.why must be a string.`);
}
