// Adds a picture (image/png) to every chart output of an executed notebook, so that viewers which run no
// JavaScript (code hosts, nbviewer, an untrusted notebook) still show the chart. The interactive forms stay:
// Jupyter front ends prefer text/html (classic Notebook) or application/vnd.plotly.v1+json (JupyterLab,
// VS Code); the PNG is for everything else. All charts of a notebook are drawn in ONE headless Chromium
// page with the same offline plotly.js the kernel inlines (plotly.js-dist-min), never a CDN.
//   - an output with application/vnd.plotly.v1+json (showFigure, liveFigure): Plotly.toImage of that JSON;
//     an animated figure is drawn at its last frame;
//   - an output whose HTML holds a tsgan chart but no JSON (live training view, animation): its HTML is
//     drawn as the notebook draws it (scripts run, animations moved to their last frame) and the output's
//     box is photographed, so the progress line and the sample grid beside the chart are in the picture.
// The notebook's own bundle output (the inlined plotly.js) gets no picture: it shows nothing.
//
// CLI: `node scripts/figure-pictures.mjs <executed.ipynb> ...` rewrites each file in place; a copy that was
// signed (trusted: the runner signs passing copies) is signed again after the change, an unsigned one
// stays unsigned. Exit 1 if a chart could not be drawn (that output is left without a picture).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { jupyterEnv, readSetup, rel } from './jupyter-env.mjs';
import { readCommandLine, userPath } from './args.mjs';
import { launchBrowser } from '../tests/html-check.mjs';

/** What the lib's charts look like in a notebook (lib/src/viz/plotly.ts): read from the built lib, never restated here. */
const plotly = (() => {
  try {
    return createRequire(import.meta.url)('../lib/dist/viz/plotly.js');
  } catch (e) {
    throw new Error(
      `scripts/figure-pictures.mjs needs the built lib (lib/dist/viz/plotly.js): run \`npm run build\` first (${e.message.split('\n')[0]})`,
      { cause: e },
    );
  }
})();
/** The mime type of a chart as JSON. */
export const PLOTLY_MIME = plotly.PLOTLY_MIME;
/** Marks the output holding the inlined plotly.js. */
export const BUNDLE_MARK = plotly.PLOTLY_BUNDLE_MARK;
/** Every chart's HTML has this element. */
export const CHART_MARK = plotly.CHART_MARK;
/** Width in CSS pixels of the pictures: about the width of an output in the classic Notebook. */
export const PICTURE_WIDTH = 900;
const DRAW_TIMEOUT_MS = 30_000;

/** A notebook's multi-line string field (source, text, text/html) as one string: nbformat stores either form. */
export const joined = (v) => (Array.isArray(v) ? v.join('') : (v ?? ''));

/** The outputs of a notebook (parsed .ipynb JSON) that need a picture: [{ cellIndex, output, kind: 'json' | 'html' }]. */
export function chartOutputs(nb) {
  const found = [];
  (nb.cells ?? []).forEach((cell, cellIndex) => {
    for (const output of cell.outputs ?? []) {
      if (output.output_type !== 'display_data' && output.output_type !== 'execute_result') continue;
      const data = output.data ?? {};
      const html = joined(data['text/html']);
      if (data[PLOTLY_MIME]) found.push({ cellIndex, output, kind: 'json' });
      else if (html.includes(CHART_MARK) && !html.includes(BUNDLE_MARK))
        found.push({ cellIndex, output, kind: 'html' });
    }
  });
  return found;
}

/** True for the output that only carries plotly.js (no picture, and the gallery drops it). */
export function isPlotlyBundle(output) {
  return joined(output.data?.['text/html']).includes(BUNDLE_MARK);
}

function plotlyPath() {
  return plotly.plotlyBundleFile(); // the copy the kernel inlines
}

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 0; background: #fff; font-family: "Helvetica Neue", Helvetica, Arial, sans-serif; font-size: 13px; }
#stage { width: ${PICTURE_WIDTH + 20}px; padding: 6px 10px; box-sizing: border-box; background: #fff; }
img { max-width: 100%; }
</style></head><body><div id="stage"></div></body></html>`;

/**
 * One page ready to draw charts: plotly.js loaded from disk, every http(s) request refused.
 * Returns { page, close, errors } (errors: page errors seen so far). Pass `context` to reuse a browser.
 */
export async function openPicturePage(context = null) {
  const browser = context ? null : await launchBrowser();
  const ctx = context ?? browser.context;
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e.message ?? e).split('\n')[0]));
  await page.route(/^https?:/, (route) => route.abort());
  await page.setContent(PAGE);
  await page.addScriptTag({ path: plotlyPath() });
  if (!(await page.evaluate(() => typeof window.Plotly?.toImage === 'function')))
    throw new Error(`plotly.js from ${plotlyPath()} did not define Plotly.toImage`);
  return {
    page,
    errors,
    async close() {
      await page.close().catch(() => {});
      if (browser) await browser.close();
    },
  };
}

/** PNG (base64) of a vnd.plotly JSON figure; an animated one at its last frame, with its slider there too. */
async function pictureOfJson(page, json) {
  const url = await page.evaluate(
    async ({ json, width }) => {
      let data = json.data;
      const layout = { ...json.layout };
      const frames = json.frames ?? [];
      if (frames.length) {
        const last = frames[frames.length - 1];
        const traces = last.traces ?? last.data.map((_, i) => i);
        data = data.map((t) => ({ ...t }));
        last.data.forEach((t, i) => {
          data[traces[i]] = { ...data[traces[i]], ...t };
        });
        Object.assign(layout, last.layout ?? {});
        if (Array.isArray(layout.sliders))
          layout.sliders = layout.sliders.map((s) => ({ ...s, active: frames.length - 1 }));
      }
      const w = typeof layout.width === 'number' ? layout.width : width;
      const h = typeof layout.height === 'number' ? layout.height : 380;
      return window.Plotly.toImage(
        { data, layout: { ...layout, width: w, height: h }, config: { staticPlot: true } },
        { format: 'png', width: w, height: h, scale: 1 },
      );
    },
    { json, width: PICTURE_WIDTH },
  );
  return url.replace(/^data:image\/png;base64,/, '');
}

/**
 * What makes a chart unreadable as a picture, found in the drawn SVG of a vnd.plotly JSON figure: a title,
 * legend, axis title or tick label that leaves the figure; two of them that overlap (an axis title over
 * tick labels, a legend over the title); a legend over a plot area (over the curves). Returns a list of
 * sentences, empty when the chart is readable. The figure is drawn at its own size (width 900 when unset).
 */
export async function chartLayoutProblems(page, json) {
  return page.evaluate(
    async ({ json, width }) => {
      const stage = document.getElementById('stage');
      for (const el of stage.querySelectorAll('.js-plotly-plot')) window.Plotly.purge(el);
      stage.innerHTML = '';
      const div = document.createElement('div');
      stage.appendChild(div);
      const layout = { ...json.layout };
      layout.width = typeof layout.width === 'number' ? layout.width : width;
      layout.height = typeof layout.height === 'number' ? layout.height : 380;
      await window.Plotly.newPlot(div, json.data, layout, { staticPlot: true });
      const svg = div.querySelector('svg.main-svg').getBoundingClientRect();
      const boxes = [];
      const add = (kind, el, text = el.textContent) => {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.height > 0 && text.trim() !== '') boxes.push({ kind, text: text.trim().slice(0, 40), r });
      };
      div.querySelectorAll('.g-gtitle .gtitle').forEach((el) => add('title', el));
      div.querySelectorAll('.legend').forEach((el) => add('legend', el.querySelector('.bg') ?? el, 'legend'));
      div.querySelectorAll('[class^="g-"][class$="title"] text').forEach((el) => {
        const axis = el
          .closest('[class^="g-"]')
          .getAttribute('class')
          .replace(/^g-|title$/g, '');
        if (axis !== 'g') add(`${axis} axis title`, el);
      });
      div.querySelectorAll('g[class$="tick"]').forEach((g) => {
        const axis = /^([xy]\d*)tick$/.exec(g.getAttribute('class'))?.[1];
        const text = g.querySelector('text');
        if (axis && text) add(`${axis} tick label`, text);
      });
      div.querySelectorAll('.annotation-text-g').forEach((el) => add('annotation', el));
      // the plot areas (where the curves are), from plotly's own axis geometry: a staticPlot has no drag layer
      const full = div._fullLayout;
      const areas = Object.values(full._plots ?? {}).map(({ xaxis, yaxis }) => ({
        left: svg.left + xaxis._offset,
        right: svg.left + xaxis._offset + xaxis._length,
        top: svg.top + yaxis._offset,
        bottom: svg.top + yaxis._offset + yaxis._length,
      }));
      const problems = [];
      const inside = (r) =>
        r.left >= svg.left - 0.5 &&
        r.top >= svg.top - 0.5 &&
        r.right <= svg.right + 0.5 &&
        r.bottom <= svg.bottom + 0.5;
      const overlap = (a, b) =>
        Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
        Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
      for (const b of boxes) if (!inside(b.r)) problems.push(`${b.kind} "${b.text}" is not inside the figure`);
      const group = (b) => (b.kind.endsWith('tick label') ? b.kind : `${b.kind}: ${b.text}`);
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i], boxes[j]];
          if (group(a) === group(b) && a.kind.endsWith('tick label')) continue; // ticks of one axis: plotly spaces them
          if (overlap(a.r, b.r)) problems.push(`${a.kind} "${a.text}" overlaps ${b.kind} "${b.text}"`);
        }
      for (const b of boxes.filter((b) => b.kind === 'legend'))
        if (areas.some((a) => overlap(a, b.r))) problems.push('the legend lies over a plot area (over the curves)');
      return problems;
    },
    { json, width: PICTURE_WIDTH },
  );
}

/** PNG (base64) of an output's HTML as the notebook draws it (scripts run, animations at their last frame). */
async function pictureOfHtml(page, html, timeoutMs) {
  await page.evaluate((html) => {
    const stage = document.getElementById('stage');
    for (const el of stage.querySelectorAll('.js-plotly-plot')) window.Plotly.purge(el);
    stage.innerHTML = html;
    // Scripts set through innerHTML do not run: replace each by a fresh element, as Jupyter does.
    for (const old of stage.querySelectorAll('script')) {
      const s = document.createElement('script');
      s.textContent = old.textContent;
      old.replaceWith(s);
    }
  }, html);
  await page.waitForFunction(
    () => {
      const stage = document.getElementById('stage');
      const plots = [...stage.querySelectorAll('.tsgan-plot')];
      const framesIn = (a) => a.querySelector('.tsgan-plot')?._transitionData?._frames?.length ?? 0;
      return (
        plots.every((p) => p.querySelector('svg.main-svg')) &&
        [...stage.querySelectorAll('img')].every((i) => i.complete) &&
        [...stage.querySelectorAll('.tsgan-animation')].every((a) => framesIn(a) >= Number(a.dataset.frames))
      );
    },
    null,
    { timeout: timeoutMs, polling: 50 },
  );
  await page.evaluate(async () => {
    for (const a of document.querySelectorAll('#stage .tsgan-animation')) {
      const el = a.querySelector('.tsgan-plot');
      const frames = el._transitionData._frames;
      await window.Plotly.animate(el, [frames[frames.length - 1].name], {
        mode: 'immediate',
        frame: { duration: 0, redraw: true },
        transition: { duration: 0 },
      });
    }
  });
  const png = await page.locator('#stage').screenshot({ type: 'png', animations: 'disabled' });
  return png.toString('base64');
}

/** Width and height of a PNG (from its IHDR chunk). */
export function pngSize(base64) {
  const b = Buffer.from(base64.slice(0, 48), 'base64');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/**
 * Adds image/png to every chart output of `nb` (parsed .ipynb JSON, changed in place), replacing a picture
 * an earlier pass added. `page` comes from openPicturePage; a chart not drawn within timeoutMs fails.
 * Returns { pictures, bytes, failed: [{ cellIndex, reason }] }.
 */
export async function addPictures(nb, { page, timeoutMs = DRAW_TIMEOUT_MS }) {
  const result = { pictures: 0, bytes: 0, failed: [] };
  for (const { cellIndex, output, kind } of chartOutputs(nb)) {
    try {
      const data = output.data;
      const png =
        kind === 'json'
          ? await pictureOfJson(page, data[PLOTLY_MIME])
          : await pictureOfHtml(page, joined(data['text/html']), timeoutMs);
      data['image/png'] = png;
      output.metadata = {
        ...(output.metadata ?? {}),
        'image/png': pngSize(png),
        tsgan: { picture: kind === 'json' ? 'chart' : 'output' },
      };
      result.pictures += 1;
      result.bytes += Math.floor((png.length * 3) / 4);
    } catch (e) {
      result.failed.push({ cellIndex, reason: String(e.message ?? e).split('\n')[0] });
    }
  }
  return result;
}

/** Runs Debian's nbformat signing through the project's Jupyter (its secret lives in the project's .jupyter). */
function notary(action, file) {
  const { setup, problem } = readSetup();
  if (!setup) throw new Error(problem);
  const code =
    'import sys, nbformat\nfrom nbformat.sign import NotebookNotary\n' +
    'n = NotebookNotary(); nb = nbformat.read(sys.argv[2], as_version=4)\n' +
    'if sys.argv[1] == "sign": n.sign(nb); print("signed")\n' +
    'else: print("signed" if n.check_signature(nb) else "unsigned")\n';
  const r = spawnSync(setup.python, ['-c', code, action, file], { env: jupyterEnv(), encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(
      `nbformat ${action} of ${rel(file)} failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`,
    );
  return r.stdout.trim() === 'signed';
}

/** True when `file` carries a valid signature of this project's Jupyter (the runner signs passing copies). */
export const isSigned = (file) => notary('check', file);

/** Writes a notebook the way nbformat does (indent 1, keys sorted), through a temporary file. */
export function writeNotebook(file, nb) {
  const sorted = (v) =>
    Array.isArray(v)
      ? v.map(sorted)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sorted(v[k])]),
          )
        : v;
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(sorted(nb), null, 1)}\n`);
  fs.renameSync(tmp, file);
}

/**
 * Adds the pictures to an executed .ipynb in place; re-signs it when it was signed before (a changed
 * notebook loses its signature). Returns addPictures' result plus { file, seconds, signed }.
 */
export async function addPicturesToFile(file, { page } = {}) {
  const t0 = Date.now();
  const nb = JSON.parse(fs.readFileSync(file, 'utf8'));
  const signed = isSigned(file);
  const own = page ? null : await openPicturePage();
  try {
    const result = await addPictures(nb, { page: page ?? own.page });
    if (result.pictures) {
      writeNotebook(file, nb);
      if (signed) notary('sign', file);
    }
    return { ...result, file, signed, seconds: (Date.now() - t0) / 1000 };
  } finally {
    await own?.close();
  }
}

/**
 * addPicturesToFile for several executed copies with one browser and one page (plotly.js parsed once);
 * prints one line per file (and one per chart that could not be drawn). Returns the number of files with
 * a problem (missing, or a chart not drawn).
 */
export async function addPicturesToFiles(files, { log = console.log } = {}) {
  let bad = 0;
  let browser = null;
  let session = null;
  try {
    for (const file of files) {
      if (!fs.existsSync(file)) {
        log(`No such notebook: ${rel(file)}`);
        bad += 1;
        continue;
      }
      browser ??= await launchBrowser();
      session ??= await openPicturePage(browser.context);
      const r = await addPicturesToFile(file, { page: session.page });
      log(
        `pictures: ${rel(file)}: ${r.pictures} chart picture(s), ${(r.bytes / 1024).toFixed(0)} KB, ${r.seconds.toFixed(1)} s${r.signed ? ', signed again' : ''}`,
      );
      for (const f of r.failed) log(`  cell ${f.cellIndex}: chart not drawn: ${f.reason}`);
      if (r.failed.length) bad += 1;
    }
  } finally {
    await session?.close();
    await browser?.close();
  }
  return bad;
}

const USAGE =
  'usage: node scripts/figure-pictures.mjs <executed.ipynb> ...\n' +
  '  adds image/png to every chart output (in place; a signed notebook is signed again)';

async function main(argv) {
  const files = readCommandLine(argv, {}, { usage: USAGE, allowPositionals: true, exitCode: 1 }).positionals;
  if (!files.length) {
    console.log(USAGE);
    return 1;
  }
  return (await addPicturesToFiles(files.map(userPath))) ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e.message ?? e);
      process.exit(1);
    },
  );
}
