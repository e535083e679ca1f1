/**
 * Where rich output goes. Inside a tslab kernel it goes to the notebook through tslab's public display
 * API; in plain node (CLI, tests) there is no notebook, so every display call is a silent no-op rather
 * than tslab's "Not ready" error. Tests (or another front end) can route outputs to a sink instead.
 */
import { randomBytes } from 'crypto';
import * as path from 'path';

/** One output message: a new output, or (update = true) a replacement of an earlier one with the same displayId. */
export interface DisplayMessage {
  mime: string;
  /** Text, or base64 for binary mime types (image/png), as Jupyter carries it. */
  data: string;
  /** Set for outputs that can be updated in place (OutputArea); null for one-off outputs. */
  displayId: string | null;
  update: boolean;
}
export type DisplaySink = (message: DisplayMessage) => void;

/** An output that the first call creates and later calls replace in place (one output, not a growing list). */
export interface OutputArea {
  readonly displayId: string;
  html(html: string): void;
  png(png: Buffer): void;
  text(text: string): void;
}

interface TslabDisplay {
  html(s: string): void;
  png(b: Uint8Array): void;
  text(s: string): void;
}
interface TslabPublic {
  display: TslabDisplay;
  newDisplay(): TslabDisplay;
}

let sink: DisplaySink | null = null;
let warnedDisplayError = false;

/**
 * Routes every display to `s` instead of the notebook (tests, other front ends); null restores the default.
 * Returns the previous sink.
 */
export function setDisplaySink(s: DisplaySink | null): DisplaySink | null {
  const previous = sink;
  sink = s;
  return previous;
}

/**
 * The tslab instance of the running kernel, or null in plain node. We look for tslab's jupyter module in
 * node's module cache instead of calling require('tslab'): the kernel may run a different tslab copy
 * (e.g. a global install) than the one our own require would resolve, and outside a kernel requiring
 * tslab would load its bundled TypeScript compiler for nothing.
 */
let found: TslabPublic | null = null;
function kernelTslab(): TslabPublic | null {
  if (found) return found; // a kernel stays a kernel
  for (const key of Object.keys(require.cache)) {
    if (!/[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(key)) continue;
    const jupyter = require.cache[key]?.exports as { lastWriteDisplayData?: unknown } | undefined;
    // tslab sets lastWriteDisplayData when the kernel executes its first cell (tslab 1.0.22 internals;
    // if a later version renames it, the presence of the module is evidence enough).
    if (jupyter && 'lastWriteDisplayData' in jupyter && jupyter.lastWriteDisplayData == null) continue;
    try {
      found = require(path.join(path.dirname(key), 'public.js')) as TslabPublic;
      return found;
    } catch {
      return null;
    }
  }
  return null;
}

/** True when running inside a tslab Jupyter kernel (so displays reach a notebook). */
export function inKernel(): boolean {
  return kernelTslab() !== null;
}

/** True when a display call will show something (inside a kernel, or with a sink installed). */
export function canDisplay(): boolean {
  return sink !== null || inKernel();
}

function guarded(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    // A failed display must never abort a training run; say it once.
    if (!warnedDisplayError) {
      warnedDisplayError = true;
      process.stderr.write(`tsgan viz: display failed (${(e as Error).message}); further display errors are ignored\n`);
    }
  }
}

function send(target: 'once' | OutputAreaImpl, mime: string, data: string | Buffer): void {
  if (sink) {
    const s = sink;
    const text = typeof data === 'string' ? data : data.toString('base64');
    const displayId = target === 'once' ? null : target.displayId;
    const update = target === 'once' ? false : target.shown;
    if (target !== 'once') target.shown = true;
    guarded(() => s({ mime, data: text, displayId, update }));
    return;
  }
  const tslab = kernelTslab();
  if (!tslab) return;
  guarded(() => {
    let d: TslabDisplay;
    if (target === 'once') d = tslab.display;
    else {
      target.tslabDisplay ??= tslab.newDisplay();
      target.shown = true;
      d = target.tslabDisplay;
    }
    if (mime === 'text/html') d.html(data as string);
    else if (mime === 'image/png') d.png(data as Buffer);
    else d.text(String(data));
  });
}

class OutputAreaImpl implements OutputArea {
  readonly displayId = randomBytes(8).toString('hex');
  shown = false;
  tslabDisplay: TslabDisplay | undefined;
  html(html: string): void {
    send(this, 'text/html', html);
  }
  png(png: Buffer): void {
    send(this, 'image/png', png);
  }
  text(text: string): void {
    send(this, 'text/plain', text);
  }
}

/** A new output that is updated in place by each call (tslab.newDisplay inside a kernel; no-op in plain node). */
export function newOutputArea(): OutputArea {
  return new OutputAreaImpl();
}

/** Shows HTML as a new output (no-op outside a kernel). */
export function showHtml(html: string): void {
  send('once', 'text/html', html);
}

/** A random id for HTML elements (unique per output, so re-rendered outputs never collide). */
export function newElementId(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
