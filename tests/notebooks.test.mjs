// Runs every notebook in notebooks/ in quick mode through the project's runner (nbclient + tslab),
// then opens its HTML export in headless Chromium and checks the figures and images rendered.
// Two tests per notebook, named after it, so a failure says which notebook and which part.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, inspectHtml, expectedFromNotebook } from './html-check.mjs';
import { onCpuBackend } from '../scripts/jupyter-env.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const notebooksDir = path.join(repo, 'notebooks');
const outDir = path.join(repo, 'build', 'notebooks');
const notebooks = fs.existsSync(notebooksDir)
  ? fs.readdirSync(notebooksDir).filter((f) => f.endsWith('.ipynb')).sort()
  : [];
// A notebook in quick mode takes < ~2 min here; the limit leaves room for a slow CI machine.
// The cpu backend needs about three times as long for the whole suite (measured: 07 takes 13 min there).
const RUN_TIMEOUT_MS = Number(process.env.TSGAN_NOTEBOOK_TEST_TIMEOUT_MS || (onCpuBackend() ? 45 : 15) * 60_000);

function runRunner(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repo, 'scripts', 'notebooks.mjs'), file], {
      cwd: repo,
      env: { ...process.env, TSGAN_QUICK: '1', INIT_CWD: repo },
    });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('close', (code) => resolve({ code, output }));
  });
}

const sha = (p) => createHash('sha256').update(fs.readFileSync(p)).digest('hex');

test('notebooks/ holds notebooks', () => {
  assert.ok(notebooks.length > 0, `no .ipynb files in ${notebooksDir}`);
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
after(async () => { await browser?.close(); });

for (const name of notebooks) {
  const stem = name.replace(/\.ipynb$/, '');
  const source = path.join(notebooksDir, name);
  let ran = false;

  test(`${name} runs in quick mode`, { timeout: RUN_TIMEOUT_MS }, async (t) => {
    const before = sha(source);
    for (const ext of ['.ipynb', '.html']) fs.rmSync(path.join(outDir, stem + ext), { force: true });
    const { code, output } = await runRunner(source);
    const lines = output.trimEnd().split('\n');
    for (const line of lines.filter((l) => /^(PASS|FAIL) /.test(l))) t.diagnostic(line);
    assert.equal(code, 0, `the runner failed on ${name}:\n${output}`);
    assert.equal(lines.at(-1), '1 passed, 0 failed', `unexpected closing line:\n${output}`);
    assert.equal(sha(source), before, `${name} was modified: the runner must write only to build/notebooks/`);
    assert.ok(fs.existsSync(path.join(outDir, `${stem}.ipynb`)), 'no executed copy in build/notebooks/');
    ran = true;
  });

  test(`${name} HTML shows every figure and image`, { timeout: 180_000 }, async (t) => {
    if (!ran) return t.skip('the notebook did not run');
    if (browserError) throw browserError;
    const html = path.join(outDir, `${stem}.html`);
    assert.ok(fs.existsSync(html), `no HTML export ${html}`);
    const expected = expectedFromNotebook(path.join(outDir, `${stem}.ipynb`));
    const r = await inspectHtml(browser.context, html);
    t.diagnostic(`${r.plots} figure(s) (${r.mainSvgs} svg.main-svg), ${r.images} image(s); expected from outputs: ${expected.plots} figure(s), ${expected.pngs} image output(s)`);
    const context = `\npage errors: ${r.pageErrors.join(' | ') || 'none'}\nblocked requests: ${r.blocked.join(' ') || 'none'}`;
    assert.ok(r.plots >= expected.plots, `the notebook's outputs hold ${expected.plots} figure div(s) but the HTML has ${r.plots}: nbconvert dropped text/html outputs?${context}`);
    assert.deepEqual(r.undrawn, [], `figure(s) not drawn by plotly (no svg.main-svg inside): ${r.undrawn.join(', ')}${context}`);
    assert.ok(r.mainSvgs >= r.plots, `${r.mainSvgs} svg.main-svg for ${r.plots} figure div(s)${context}`);
    assert.ok(r.images >= expected.pngs, `the outputs hold ${expected.pngs} image(s) but the HTML has ${r.images} <img>${context}`);
    assert.deepEqual(r.brokenImages, [], `image(s) that did not decode (naturalWidth 0): ${r.brokenImages.join(', ')}${context}`);
  });
}
