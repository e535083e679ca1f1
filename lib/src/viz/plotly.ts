/**
 * Draws figures offline with plotly.js: the bundle is inlined once per kernel (the first figure sends it
 * as its own output), and each figure is a <div class="tsgan-plot"> plus a small script. This renders in
 * the classic Notebook (which runs scripts of trusted outputs) and in nbconvert's HTML export alike.
 * A figure's output also carries the figure as application/vnd.plotly.v1+json, which JupyterLab and VS
 * Code draw natively (no inlined script needed); scripts/figure-pictures.mjs later adds an image/png to
 * such outputs for viewers that run no JavaScript (code hosts, nbviewer, untrusted notebooks).
 */
import * as fs from 'fs';
import type { Figure } from './figure';
import { canDisplay, escapeHtml, MimeBundle, newElementId, newOutputArea, showHtml } from './display';

/** The mime type of a plotly figure as JSON ({ data, layout, frames?, config? }), drawn natively by JupyterLab and VS Code. */
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

/** The options every chart is drawn with, in the HTML and in the JSON form alike. */
const PLOT_CONFIG = { responsive: true, displaylogo: false };

let bundleSent = false;
let bundleCache: { html: string; source: string } | null = null;

/** The one plotly.js build tsgan depends on (plotly.js-dist-min: the full build minified, ≈ 4.6 MB per executed notebook). */
const PLOTLY_PACKAGE = 'plotly.js-dist-min';

/**
 * Text found only in the output that carries the inlined plotly.js (its first script, see readBundle):
 * how scripts/figure-pictures.mjs and the gallery tell that output from a chart.
 */
export const PLOTLY_BUNDLE_MARK = 'window.__tsganSavedDefine = window.define';

/** Text every chart's HTML holds (figureHtml's div): how scripts/figure-pictures.mjs finds chart outputs. */
export const CHART_MARK = 'class="tsgan-plot"';

/** The plotly.js file inlined in notebooks (also what scripts/figure-pictures.mjs draws pictures with). */
export function plotlyBundleFile(): string {
  try {
    return require.resolve(`${PLOTLY_PACKAGE}/plotly.min.js`);
  } catch {
    throw new Error(
      `plotly.js not found: ${PLOTLY_PACKAGE} is missing (tsgan depends on it). Run \`npm ci\` at the repository root, or \`npm install ${PLOTLY_PACKAGE}\`.`,
    );
  }
}

function readBundle(): { html: string; source: string } {
  if (bundleCache) return bundleCache;
  // "</script" inside the code would end the <script> element early.
  const js = fs.readFileSync(plotlyBundleFile(), 'utf8').replace(/<\/(script)/gi, '<\\/$1');
  // Classic Notebook loads require.js; a UMD bundle that sees `define` registers as an anonymous AMD
  // module (require.js then throws "Mismatched anonymous define()") instead of setting window.Plotly.
  // Hiding `define` while the bundle runs makes it take the global path in every page.
  const html =
    `<script>${PLOTLY_BUNDLE_MARK}; window.define = undefined;</script>\n` +
    `<script>${js}\n</script>\n` +
    '<script>window.define = window.__tsganSavedDefine; delete window.__tsganSavedDefine;</script>';
  bundleCache = { html, source: PLOTLY_PACKAGE };
  return bundleCache;
}

/** The <script> elements that define window.Plotly (several MB). Normally sent by showFigure, once. */
export function plotlyBundleHtml(): string {
  return readBundle().html;
}

/**
 * Sends the plotly bundle as its own output unless this kernel already sent it. Called by showFigure and
 * the live views, so that outputs updated in place never carry the bundle.
 */
export function ensurePlotly(): void {
  // Outside a kernel nothing would receive it: skip reading several MB.
  if (bundleSent || !canDisplay()) return;
  showHtml(`${plotlyBundleHtml()}\n<!-- tsgan: ${readBundle().source} inlined for offline charts -->`);
  bundleSent = true;
}

/** True once this kernel has sent the bundle. */
export function plotlySent(): boolean {
  return bundleSent;
}

/**
 * Forgets that the bundle was sent, so the next figure inlines it again. Use it if you cleared the output
 * that held it (the first chart's cell) and then saved the notebook: the saved page would lack plotly.js.
 */
export function resetPlotly(): void {
  bundleSent = false;
}

/** JSON that is safe inside <script>: "<" never appears literally, so "</script>" cannot end the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export interface FigureHtmlOptions {
  /** Element id of the plot div (default: a fresh random id). */
  id?: string;
}

/**
 * HTML for one figure: a div of class "tsgan-plot" and a script that draws it once both plotly.js and the
 * div are in the page. (The classic Notebook runs an output's scripts before it attaches the output to the
 * document, hence the short wait.) Without scripts (an untrusted notebook) the div shows why it is empty.
 */
export function figureHtml(fig: Figure, options: FigureHtmlOptions = {}): string {
  if (!fig || !Array.isArray(fig.data) || typeof fig.layout !== 'object') {
    throw new Error(
      'figureHtml: expected a figure { data: Trace[], layout: {...} } (build one with figure(), lineChart() or histogram()).',
    );
  }
  const id = options.id ?? newElementId('tsgan-plot');
  const height = typeof fig.layout.height === 'number' ? fig.layout.height : 380;
  const config = PLOT_CONFIG;
  const message =
    'Chart not drawn: scripts did not run. In Jupyter use File &gt; Trust Notebook, or re-run the notebook from the top ' +
    '(plotly.js is inlined by the first chart of a kernel session).';
  return (
    `<div ${CHART_MARK} id="${escapeHtml(id)}" style="width:100%;height:${height}px;">` +
    `<div class="tsgan-plot-message" style="color:#888;font:13px sans-serif;padding:8px">${message}</div></div>\n` +
    `<script>(function () {\n` +
    `  var id = ${scriptJson(id)}, fig = ${scriptJson(fig)}, config = ${scriptJson(config)}, tries = 0;\n` +
    `  function draw() {\n` +
    `    var el = document.getElementById(id);\n` +
    `    if (!el || !window.Plotly || !document.body.contains(el)) {\n` +
    `      if (++tries < 400) setTimeout(draw, 25);\n` +
    `      return;\n` +
    `    }\n` +
    `    var msg = el.querySelector('.tsgan-plot-message');\n` +
    `    if (msg) msg.parentNode.removeChild(msg);\n` +
    `    window.Plotly.newPlot(el, fig.data, fig.layout, config).then(function () {\n` +
    // plotly's own `responsive` follows window resizes only; the div also changes width when the notebook
    // re-flows (an image beside it decodes, a side panel opens), and a too-wide SVG gets scaled down by
    // the page's CSS instead of re-laid out.
    `      if (!window.ResizeObserver) return;\n` +
    `      var width = el.clientWidth;\n` +
    `      new ResizeObserver(function () {\n` +
    `        if (el.clientWidth && el.clientWidth !== width) { width = el.clientWidth; window.Plotly.Plots.resize(el); }\n` +
    `      }).observe(el);\n` +
    `    });\n` +
    `  }\n` +
    `  draw();\n` +
    `})();</script>`
  );
}

/**
 * The figure as the application/vnd.plotly.v1+json mime type carries it: data, layout, the frames of an
 * animated figure when it has them, and the drawing options.
 */
export function plotlyJson(fig: Figure & { frames?: unknown[] }): {
  data: unknown[];
  layout: object;
  frames?: unknown[];
  config: object;
} {
  const json: { data: unknown[]; layout: object; frames?: unknown[]; config: object } = {
    data: fig.data,
    layout: fig.layout,
    config: PLOT_CONFIG,
  };
  if (Array.isArray(fig.frames) && fig.frames.length) json.frames = fig.frames;
  return json;
}

/**
 * One output for a chart: its HTML (drawn by scripts; what the classic Notebook and nbconvert show) and
 * its JSON form (JupyterLab, VS Code). `html` defaults to figureHtml(fig); pass your own when the chart is
 * drawn differently (an animation), but only when the HTML shows nothing besides this chart: front ends
 * that prefer the JSON would drop anything else in it (a progress bar, an image beside the chart).
 */
export function figureBundle(fig: Figure & { frames?: unknown[] }, html: string = figureHtml(fig)): MimeBundle {
  return { 'text/html': html, [PLOTLY_MIME]: plotlyJson(fig) };
}

/** A figure shown in a notebook that update() redraws in the same output (e.g. every N training steps). */
export interface FigureHandle {
  update(fig: Figure): void;
}

/** Draws a figure in the notebook (a no-op in plain node). Returns nothing, so a cell ending with it prints nothing. */
export function showFigure(fig: Figure): void {
  liveFigure(fig);
}

/**
 * Draws a figure and returns a handle whose update() replaces it in place: a chart that follows a loop.
 * Redraws resend the figure's data (not plotly.js), so call update() every N steps, not every step.
 */
export function liveFigure(fig: Figure): FigureHandle {
  const bundle = figureBundle(fig); // validates even outside a kernel, so tests and the CLI catch bad figures
  ensurePlotly();
  const area = newOutputArea();
  area.bundle(bundle);
  return {
    update(next: Figure) {
      area.bundle(figureBundle(next));
    },
  };
}
