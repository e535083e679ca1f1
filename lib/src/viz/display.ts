/**
 * Where rich output goes. Inside a tslab kernel it goes to the notebook; in plain node (CLI, tests) there
 * is no notebook, so every display call is a silent no-op rather than tslab's "Not ready" error. Tests (or
 * another front end) can route outputs to a sink instead.
 *
 * One output may carry several representations of the same thing (a bundle, e.g. a chart as text/html
 * and as application/vnd.plotly.v1+json): each front end shows the best one it can render. tslab's public
 * display API sends one mime type per output, so bundles go through the writer that its internal
 * dist/jupyter module exposes (tslab 1.0.22, pinned in package.json); where that writer is missing only
 * the bundle's first representation is sent, through the public API.
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
  /** The other representations sent in the same output (mime type → text, base64, or JSON for JSON types). */
  alternatives?: { [mime: string]: unknown };
}
export type DisplaySink = (message: DisplayMessage) => void;

/**
 * One output in several representations, the preferred first: mime type → text, a Buffer for binary
 * types (sent as base64), or a JSON value for JSON types (application/vnd.plotly.v1+json).
 */
export type MimeBundle = { [mime: string]: string | Buffer | object };

/** An output that the first call creates and later calls replace in place (one output, not a growing list). */
export interface OutputArea {
  readonly displayId: string;
  html(html: string): void;
  png(png: Buffer): void;
  text(text: string): void;
  /** Shows (or replaces the output with) one output holding every representation in `data`. */
  bundle(data: MimeBundle): void;
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
/** The content of a display_data / update_display_data message, as tslab's internal writer takes it. */
interface DisplayContent {
  data: { [mime: string]: unknown };
  metadata: { [key: string]: unknown };
  transient: { display_id?: string };
}
/** tslab's dist/jupyter module: the writer of the cell being executed (null before the first cell). */
interface TslabJupyter {
  lastWriteDisplayData?: ((content: DisplayContent, update: boolean) => void) | null;
}
interface TslabModules {
  pub: TslabPublic;
  jupyter: TslabJupyter;
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
let found: TslabModules | null = null;
function kernelTslab(): TslabModules | null {
  if (found) return found; // a kernel stays a kernel
  for (const key of Object.keys(require.cache)) {
    if (!/[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(key)) continue;
    const jupyter = require.cache[key]?.exports as TslabJupyter | undefined;
    // tslab sets lastWriteDisplayData when the kernel executes its first cell (tslab 1.0.22 internals;
    // if a later version renames it, the presence of the module is evidence enough).
    if (!jupyter || ('lastWriteDisplayData' in jupyter && jupyter.lastWriteDisplayData == null)) continue;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- tslab's module, found at run time
      found = { pub: require(path.join(path.dirname(key), 'public.js')) as TslabPublic, jupyter };
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

/** A bundle's values as Jupyter carries them: Buffers as base64, text and JSON values as they are. */
function encoded(bundle: MimeBundle): { [mime: string]: unknown } {
  const out: { [mime: string]: unknown } = {};
  for (const [mime, value] of Object.entries(bundle))
    out[mime] = Buffer.isBuffer(value) ? value.toString('base64') : value;
  return out;
}

function send(target: 'once' | OutputAreaImpl, bundle: MimeBundle): void {
  const mimes = Object.keys(bundle);
  if (mimes.length === 0)
    throw new Error('display: the bundle is empty; give at least one mime type, e.g. { "text/html": html }.');
  const displayId = target === 'once' ? null : target.displayId;
  const update = target === 'once' ? false : target.shown;
  if (sink) {
    const s = sink;
    const [mime, ...others] = mimes;
    const data = encoded(bundle);
    const message: DisplayMessage = {
      mime,
      data: typeof data[mime] === 'string' ? (data[mime] as string) : JSON.stringify(data[mime]),
      displayId,
      update,
    };
    if (others.length) message.alternatives = Object.fromEntries(others.map((m) => [m, data[m]]));
    if (target !== 'once') target.shown = true;
    guarded(() => s(message));
    return;
  }
  const tslab = kernelTslab();
  if (!tslab) return;
  guarded(() => {
    if (target !== 'once') target.shown = true;
    const write = tslab.jupyter.lastWriteDisplayData;
    if (typeof write === 'function') {
      // What tslab's public display does, with every representation in one message.
      write(
        { data: encoded(bundle), metadata: {}, transient: displayId === null ? {} : { display_id: displayId } },
        update,
      );
      return;
    }
    if (typeof write !== 'undefined') throw new Error('Not ready'); // no cell is executing yet
    // A tslab without the internal writer: the first representation only, through the public API.
    let d: TslabDisplay;
    if (target === 'once') d = tslab.pub.display;
    else d = target.tslabDisplay ??= tslab.pub.newDisplay();
    const [mime] = mimes;
    const value = bundle[mime];
    if (mime === 'text/html') d.html(value as string);
    else if (mime === 'image/png') d.png(value as Buffer);
    else d.text(typeof value === 'string' ? value : JSON.stringify(value));
  });
}

class OutputAreaImpl implements OutputArea {
  readonly displayId = randomBytes(8).toString('hex');
  shown = false;
  tslabDisplay: TslabDisplay | undefined;
  html(html: string): void {
    send(this, { 'text/html': html });
  }
  png(png: Buffer): void {
    send(this, { 'image/png': png });
  }
  text(text: string): void {
    send(this, { 'text/plain': text });
  }
  bundle(data: MimeBundle): void {
    send(this, data);
  }
}

/** A new output that is updated in place by each call (tslab.newDisplay inside a kernel; no-op in plain node). */
export function newOutputArea(): OutputArea {
  return new OutputAreaImpl();
}

/** Shows HTML as a new output (no-op outside a kernel). */
export function showHtml(html: string): void {
  send('once', { 'text/html': html });
}

/** Shows one output holding every representation in `data`, the preferred first (no-op outside a kernel). */
export function showBundle(data: MimeBundle): void {
  send('once', data);
}

/** A random id for HTML elements (unique per output, so re-rendered outputs never collide). */
export function newElementId(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}
