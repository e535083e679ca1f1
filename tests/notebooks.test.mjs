// Runs every notebook in notebooks/ through the project's runner (nbclient + tslab) in both modes, with
// every claim (gan.claim / gan.claimTrue) checked: quick mode with every code cell executed twice in a row
// (the re-run test: cells must be safe to re-run), then full mode once, as readers see it. Then opens the
// full-mode HTML export in headless Chromium and checks the figures and images rendered.
// TSGAN_NOTEBOOK_MODES=quick (or full) runs one mode only, e.g. while editing a notebook; TSGAN_NOTEBOOKS
// picks notebooks by name (npm run test:notebook -- 05).
// Tests are named after the notebook and the mode, so a failure says which notebook and which part.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, inspectHtml, expectedFromNotebook } from './html-check.mjs';
import { onCpuBackend } from '../scripts/jupyter-env.mjs';
import { chartOutputs } from '../scripts/figure-pictures.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const notebooksDir = path.join(repo, 'notebooks');
const outDir = path.join(repo, 'build', 'notebooks');
// TSGAN_NOTEBOOKS=05,07 runs only the notebooks whose names start so (npm run test:notebook -- 05).
const wanted = (process.env.TSGAN_NOTEBOOKS ?? '')
  .split(',')
  .map((w) => w.trim())
  .filter(Boolean);
const notebooks = fs.existsSync(notebooksDir)
  ? fs
      .readdirSync(notebooksDir)
      .filter((f) => f.endsWith('.ipynb'))
      .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
      .sort()
  : [];

const MODES = {
  quick: { quick: true, rerun: true, label: 'quick mode, every cell run twice', minutes: 15 },
  full: { quick: false, rerun: false, label: 'full mode', minutes: 45 },
};
const modesWanted = (process.env.TSGAN_NOTEBOOK_MODES ?? 'quick,full')
  .split(',')
  .map((m) => m.trim())
  .filter(Boolean);
const unknownModes = modesWanted.filter((m) => !(m in MODES));
// A quick-mode notebook takes < ~2 min here (twice that with the re-run); the longest full mode ~10 min.
// The limits leave room for a slow CI machine; the cpu backend needs about three times as long.
const timeoutMs = (mode) =>
  Number(process.env.TSGAN_NOTEBOOK_TEST_TIMEOUT_MS || MODES[mode].minutes * 60_000 * (onCpuBackend() ? 3 : 1));

function runRunner(file, { quick, rerun }) {
  const env = { ...process.env, INIT_CWD: repo };
  if (quick) env.TSGAN_QUICK = '1';
  else delete env.TSGAN_QUICK;
  delete env.TSGAN_RERUN;
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(repo, 'scripts', 'notebooks.mjs'), ...(rerun ? ['--rerun'] : []), file],
      { cwd: repo, env },
    );
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('close', (code) => resolve({ code, output }));
  });
}

const sha = (p) => createHash('sha256').update(fs.readFileSync(p)).digest('hex');

test('notebooks/ holds notebooks, TSGAN_NOTEBOOK_MODES names known modes', () => {
  assert.ok(
    notebooks.length > 0,
    `no .ipynb files in ${notebooksDir}${wanted.length ? ` match TSGAN_NOTEBOOKS=${wanted}` : ''}`,
  );
  assert.deepEqual(
    unknownModes,
    [],
    `TSGAN_NOTEBOOK_MODES=${process.env.TSGAN_NOTEBOOK_MODES}: use quick, full or quick,full`,
  );
});

let browser = null;
let browserError = null;
before(async () => {
  try {
    browser = await launchBrowser();
  } catch (e) {
    browserError = e;
  }
});
after(async () => {
  await browser?.close();
});

for (const name of notebooks) {
  const stem = name.replace(/\.ipynb$/, '');
  const source = path.join(notebooksDir, name);
  let lastRun = null; // the mode whose executed copy is in build/notebooks/

  for (const mode of modesWanted.filter((m) => m in MODES)) {
    const { label } = MODES[mode];
    test(`${name} runs in ${label}, every claim holds`, { timeout: timeoutMs(mode) }, async (t) => {
      const before = sha(source);
      for (const ext of ['.ipynb', '.html']) fs.rmSync(path.join(outDir, stem + ext), { force: true });
      lastRun = null;
      const { code, output } = await runRunner(source, MODES[mode]);
      const lines = output.trimEnd().split('\n');
      for (const line of lines.filter((l) => /^(PASS|FAIL) |^ {2}claim failed /.test(l))) t.diagnostic(line);
      // The failure's description first: a CI log that keeps only the start of the message still shows why.
      const failAt = lines.findIndex((l) => l.startsWith('FAIL '));
      const why =
        failAt < 0
          ? output
          : [...lines.slice(failAt), '--- the run up to it ---', ...lines.slice(0, failAt)].join('\n');
      assert.equal(code, 0, `the runner failed on ${name} in ${label}:\n${why}`);
      assert.equal(lines.at(-1), '1 passed, 0 failed', `unexpected closing line:\n${output}`);
      assert.equal(sha(source), before, `${name} was modified: the runner must write only to build/notebooks/`);
      const copy = path.join(outDir, `${stem}.ipynb`);
      assert.ok(fs.existsSync(copy), 'no executed copy in build/notebooks/');
      // Issue 18: every chart of an executed copy also carries a picture, for viewers without JavaScript.
      const charts = chartOutputs(JSON.parse(fs.readFileSync(copy, 'utf8')));
      const without = charts.filter((c) => !c.output.data['image/png']).map((c) => `cell ${c.cellIndex}`);
      t.diagnostic(`${charts.length} chart output(s), ${charts.length - without.length} with a picture`);
      assert.deepEqual(without, [], `chart output(s) without an image/png in ${copy}`);
      lastRun = mode;
    });
  }

  test(`${name} HTML shows every figure and image`, { timeout: 300_000 }, async (t) => {
    if (!lastRun) return t.skip('the notebook did not run');
    if (browserError) throw browserError;
    const html = path.join(outDir, `${stem}.html`);
    assert.ok(fs.existsSync(html), `no HTML export ${html}`);
    const expected = expectedFromNotebook(path.join(outDir, `${stem}.ipynb`));
    const r = await inspectHtml(browser.context, html);
    t.diagnostic(
      `${MODES[lastRun].label}: ${r.plots} figure(s) (${r.mainSvgs} svg.main-svg), ${r.images} image(s); expected from outputs: ${expected.plots} figure(s), ${expected.pngs} image output(s)`,
    );
    const context = `\npage errors: ${r.pageErrors.join(' | ') || 'none'}\nblocked requests: ${r.blocked.join(' ') || 'none'}`;
    assert.ok(
      r.plots >= expected.plots,
      `the notebook's outputs hold ${expected.plots} figure div(s) but the HTML has ${r.plots}: nbconvert dropped text/html outputs?${context}`,
    );
    assert.deepEqual(
      r.undrawn,
      [],
      `figure(s) not drawn by plotly (no svg.main-svg inside): ${r.undrawn.join(', ')}${context}`,
    );
    assert.ok(r.mainSvgs >= r.plots, `${r.mainSvgs} svg.main-svg for ${r.plots} figure div(s)${context}`);
    assert.ok(
      r.images >= expected.pngs,
      `the outputs hold ${expected.pngs} image(s) but the HTML has ${r.images} <img>${context}`,
    );
    assert.deepEqual(
      r.brokenImages,
      [],
      `image(s) that did not decode (naturalWidth 0): ${r.brokenImages.join(', ')}${context}`,
    );
  });
}
