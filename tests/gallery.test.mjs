// The gallery (gallery/: executed copies with every chart as a picture, made by `npm run gallery`) must
// match the notebooks it was made from, and must show every chart without JavaScript. Also checks the
// picture step itself (scripts/figure-pictures.mjs) on charts the lib really emits.
// When gallery/ does not exist at all the gallery checks are skipped (said in the test output); once it
// exists, a missing or stale copy fails, naming the notebook and saying to run `npm run gallery`.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { repoRoot, notebooksDir, jupyterEnv, readSetup } from '../scripts/jupyter-env.mjs';
import { codeCells, codeHash, executedMode, galleryDir, isPictureOutput, toGalleryForm } from '../scripts/gallery.mjs';
import {
  addPictures,
  chartOutputs,
  joined,
  openPicturePage,
  BUNDLE_MARK,
  CHART_MARK,
  PLOTLY_MIME,
} from '../scripts/figure-pictures.mjs';
import { launchBrowser } from './html-check.mjs';

const REGENERATE = 'run `npm run gallery` and commit gallery/';
const SIZE_LIMIT = 10 * 1024 * 1024; // the whole gallery, notebooks and thumbnails (issue 18)
const readNb = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const sources = fs
  .readdirSync(notebooksDir)
  .filter((f) => f.endsWith('.ipynb'))
  .sort();
const galleryFiles = () =>
  fs
    .readdirSync(galleryDir)
    .filter((f) => f.endsWith('.ipynb'))
    .sort();
const noGallery = fs.existsSync(galleryDir) ? false : `gallery/ does not exist yet: ${REGENERATE}`;

describe('gallery matches the notebooks', { skip: noGallery }, () => {
  it('every notebook has a gallery copy made from its current code cells', () => {
    const problems = [];
    for (const f of sources) {
      const copy = path.join(galleryDir, f);
      if (!fs.existsSync(copy)) {
        problems.push(`gallery/${f} is missing`);
        continue;
      }
      const src = readNb(path.join(notebooksDir, f));
      const nb = readNb(copy);
      const [a, b] = [codeCells(src), codeCells(nb)];
      const differs = a.findIndex((s, i) => s !== b[i]);
      if (differs >= 0 || a.length !== b.length) {
        problems.push(
          `gallery/${f} is stale: ${differs >= 0 ? `code cell ${differs} (counting code cells from 0) differs from` : `it has ${b.length} code cells, not ${a.length} like`} notebooks/${f}`,
        );
      } else if (nb.metadata?.tsgan_gallery?.code_sha256 !== codeHash(src)) {
        problems.push(
          `gallery/${f}: its stored hash of the source's code cells is not the current one (edited by hand?)`,
        );
      }
    }
    for (const f of galleryFiles())
      if (!sources.includes(f)) problems.push(`gallery/${f} has no notebook notebooks/${f} (renamed or removed?)`);
    assert.deepEqual(problems, [], `${problems.join('\n')}\n→ ${REGENERATE}`);
  });

  it('the gallery was executed in full mode, as readers see the notebooks', () => {
    const quick = galleryFiles().filter((f) => executedMode(readNb(path.join(galleryDir, f))) !== 'full');
    assert.deepEqual(
      quick,
      [],
      `executed in quick mode (or without the mode line): ${quick.join(', ')} → ${REGENERATE} (without TSGAN_QUICK)`,
    );
  });

  it(`is smaller than ${SIZE_LIMIT / 1024 / 1024} MB in all`, () => {
    const files = [
      ...galleryFiles(),
      ...(fs.existsSync(path.join(galleryDir, 'thumbs'))
        ? fs.readdirSync(path.join(galleryDir, 'thumbs')).map((t) => `thumbs/${t}`)
        : []),
    ];
    const sizes = files.map((f) => [f, fs.statSync(path.join(galleryDir, f)).size]);
    const total = sizes.reduce((n, [, s]) => n + s, 0);
    assert.ok(
      total < SIZE_LIMIT,
      `gallery/ holds ${(total / 1024 / 1024).toFixed(1)} MB: ${sizes.map(([f, s]) => `${f} ${(s / 1024).toFixed(0)} KB`).join(', ')}`,
    );
  });

  it('every chart output is a picture: no plotly.js, no plotly JSON, no chart HTML left', () => {
    const problems = [];
    for (const f of galleryFiles()) {
      const nb = readNb(path.join(galleryDir, f));
      let pictures = 0;
      nb.cells.forEach((cell, i) => {
        for (const o of cell.outputs ?? []) {
          const html = joined(o.data?.['text/html']);
          if (o.data?.[PLOTLY_MIME]) problems.push(`${f} cell ${i}: plotly JSON`);
          if (html.includes(BUNDLE_MARK)) problems.push(`${f} cell ${i}: inlined plotly.js`);
          if (html.includes(CHART_MARK))
            problems.push(`${f} cell ${i}: a chart as HTML (shows nothing without JavaScript)`);
          if (isPictureOutput(o)) {
            pictures += 1;
            const png = Buffer.from(joined(o.data['image/png']), 'base64');
            if (png.length < 100 || png.readUInt32BE(0) !== 0x89504e47)
              problems.push(`${f} cell ${i}: the picture is not a PNG`);
          }
        }
      });
      const expected = nb.metadata?.tsgan_gallery?.pictures;
      if (pictures !== expected)
        problems.push(`${f}: ${pictures} picture(s) but its metadata says ${expected} chart(s)`);
    }
    assert.deepEqual(problems, [], `${problems.join('\n')}\n→ ${REGENERATE}`);
  });

  it('README.md lists every gallery notebook with a thumbnail that exists', () => {
    const readme = fs.readFileSync(path.join(galleryDir, 'README.md'), 'utf8');
    for (const f of galleryFiles()) {
      assert.ok(readme.includes(`](${f})`), `gallery/README.md does not link ${f} → ${REGENERATE}`);
    }
    for (const [, thumb] of readme.matchAll(/\]\((thumbs\/[^)]+)\)/g)) {
      assert.ok(
        fs.existsSync(path.join(galleryDir, thumb)),
        `gallery/README.md shows ${thumb}, which does not exist → ${REGENERATE}`,
      );
    }
  });

  describe('with JavaScript disabled, the nbconvert HTML of each gallery notebook shows every figure as an <img>', () => {
    let browser;
    let tmp;
    before(async () => {
      browser = await launchBrowser();
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgan-gallery-'));
    });
    after(async () => {
      await browser?.close();
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });
    for (const f of fs.existsSync(galleryDir) ? galleryFiles() : []) {
      it(f, { timeout: 180_000 }, async () => {
        const { setup, problem } = readSetup();
        assert.ok(setup, problem);
        const r = spawnSync(
          setup.python,
          ['-m', 'nbconvert', '--to', 'html', '--output-dir', tmp, path.join(galleryDir, f)],
          { env: jupyterEnv(), encoding: 'utf8' },
        );
        assert.equal(r.status, 0, `nbconvert failed: ${r.stderr}`);
        const nb = readNb(path.join(galleryDir, f));
        const outputs = nb.cells.flatMap((c) => c.outputs ?? []);
        const expected =
          outputs.filter((o) => o.data?.['image/png'] && !o.data?.['text/html']).length +
          outputs.reduce((n, o) => n + (joined(o.data?.['text/html']).match(/<img\b/g)?.length ?? 0), 0);
        const page = await browser.context.newPage();
        try {
          const cdp = await browser.context.newCDPSession(page);
          await cdp.send('Emulation.setScriptExecutionDisabled', { value: true });
          await page.route(/^https?:/, (route) => route.abort());
          await page.goto(pathToFileURL(path.join(tmp, f.replace(/\.ipynb$/, '.html'))).href, { waitUntil: 'load' });
          const s = await page.evaluate(() => ({
            scriptsRan: typeof window.MathJax !== 'undefined' || typeof window.require !== 'undefined',
            images: document.images.length,
            shown: [...document.images].filter((i) => i.complete && i.naturalWidth > 0).length,
            broken: [...document.images]
              .filter((i) => !i.complete || i.naturalWidth === 0)
              .map((i) => i.src.slice(0, 60)),
            undrawn: document.querySelectorAll('.tsgan-plot').length,
          }));
          assert.equal(
            s.scriptsRan,
            false,
            'the page ran scripts: the check would not show what a viewer without JavaScript shows',
          );
          assert.deepEqual(s.broken, [], 'images that did not decode');
          assert.equal(s.undrawn, 0, 'chart placeholders that need JavaScript');
          assert.ok(s.shown >= expected, `${s.shown} image(s) shown, the notebook's outputs hold ${expected}`);
          assert.ok(s.shown >= nb.metadata.tsgan_gallery.pictures, 'fewer images than chart pictures');
        } finally {
          await page.close();
        }
      });
    }
  });
});

describe('picture step (scripts/figure-pictures.mjs) on what the lib emits', () => {
  let session;
  const messages = [];
  let gan;
  before(async () => {
    gan = createRequire(import.meta.url)(path.join(repoRoot, 'lib', 'dist', 'index.js'));
    const previous = gan.setDisplaySink((m) => messages.push(m));
    try {
      gan.resetPlotly();
      const fig = gan.figure([gan.lineTrace([0, 1, 2], [0, 1, 4], { name: 'y = x²' })], {
        title: 'A chart',
        xTitle: 'x',
        yTitle: 'y',
        height: 300,
      });
      gan.showFigure(fig);
      const view = gan.liveTrainingView({ total: 3, minIntervalMs: 0, imageCaption: 'samples', imageWidth: 200 });
      for (let step = 1; step <= 3; step++)
        view.update(
          { step, dLoss: 1.3, gLoss: 0.7, dReal: 0.6, dFake: 0.4 },
          gan.imageGridPng(new Float32Array(4 * 784).fill(step / 3), { rows: 2, cols: 2 }),
        );
      view.done();
      if (gan.showAnimation) {
        const frame = (k) => ({
          label: `step ${k}`,
          figure: gan.figure([gan.lineTrace([0, 1], [0, k])], { title: `after ${k} steps`, xTitle: 'x', yTitle: 'y' }),
        });
        gan.showAnimation(gan.animatedFigure([frame(1), frame(2), frame(3)]));
      }
    } finally {
      gan.setDisplaySink(previous);
    }
    session = await openPicturePage();
  });
  after(async () => {
    await session?.close();
  });

  /** The messages as a notebook's outputs: an update replaces the output with the same display id, as Jupyter does. */
  function asNotebook(extraOutputs = []) {
    const outputs = [];
    const byId = new Map();
    for (const m of messages) {
      const output = {
        output_type: 'display_data',
        data: { [m.mime]: m.data, ...(m.alternatives ?? {}) },
        metadata: {},
      };
      if (m.update && byId.has(m.displayId)) Object.assign(byId.get(m.displayId), output);
      else {
        outputs.push(output);
        if (m.displayId) byId.set(m.displayId, output);
      }
    }
    return {
      cells: [
        { cell_type: 'markdown', source: '# A test', metadata: {} },
        {
          cell_type: 'code',
          source: 'gan.showFigure(fig);',
          metadata: { execution: { 'iopub.status.busy': 'x' } },
          outputs: [
            { output_type: 'stream', name: 'stdout', text: 'Backend: wasm on CPU · full mode · details\n' },
            ...outputs,
            ...extraOutputs,
          ],
        },
      ],
      metadata: {},
    };
  }

  it('draws a picture for each chart (JSON form, live view, animation), none for the plotly.js output', async () => {
    const nb = asNotebook();
    const charts = chartOutputs(nb);
    const kinds = charts.map((c) => c.kind);
    assert.deepEqual(kinds, gan.showAnimation ? ['json', 'html', 'html'] : ['json', 'html']);
    const r = await addPictures(nb, { page: session.page });
    assert.deepEqual(r.failed, []);
    assert.equal(r.pictures, charts.length);
    const [chart, live] = charts.map((c) => c.output);
    assert.deepEqual(
      chart.metadata['image/png'],
      { width: 900, height: 300 },
      'the JSON chart at the picture width and its own height',
    );
    assert.equal(live.metadata.tsgan.picture, 'output');
    assert.ok(live.metadata['image/png'].height > 300, 'the live view picture holds the progress line and the chart');
    for (const { output } of charts)
      assert.ok(Buffer.from(output.data['image/png'], 'base64').length > 5_000, 'a picture with something drawn in it');
    assert.equal(
      nb.cells[1].outputs.filter((o) => joined(o.data?.['text/html']).includes(BUNDLE_MARK) && o.data['image/png'])
        .length,
      0,
    );
    assert.ok(
      charts.every(({ output }) => output.data['text/html']),
      'the interactive form stays in the executed copy',
    );
  });

  it('reports a chart that never draws instead of adding a blank picture', async () => {
    const broken = {
      output_type: 'display_data',
      data: { 'text/html': `<div ${CHART_MARK} id="never"></div>` },
      metadata: {},
    };
    const nb = asNotebook([broken]);
    nb.cells[1].outputs = [broken];
    const r = await addPictures(nb, { page: session.page, timeoutMs: 500 });
    assert.equal(r.pictures, 0);
    assert.equal(r.failed.length, 1);
    assert.equal(broken.data['image/png'], undefined);
  });

  it('the gallery form keeps text, pictures and plain HTML, and drops plotly.js, chart HTML and JSON', async () => {
    const progressHtml = '<div class="tsgan-progress">3/3</div>';
    const nb = asNotebook([{ output_type: 'display_data', data: { 'text/html': progressHtml }, metadata: {} }]);
    await addPictures(nb, { page: session.page });
    const pictures = toGalleryForm(nb);
    const outputs = nb.cells[1].outputs;
    assert.equal(pictures, gan.showAnimation ? 3 : 2);
    assert.equal(outputs[0].output_type, 'stream', 'text stays');
    assert.ok(
      outputs.every((o) => !joined(o.data?.['text/html']).includes(BUNDLE_MARK)),
      'the plotly.js output is gone',
    );
    assert.deepEqual(
      outputs.filter(isPictureOutput).map((o) => Object.keys(o.data)),
      Array(pictures).fill(['image/png']),
    );
    assert.equal(joined(outputs[outputs.length - 1].data['text/html']), progressHtml, 'HTML that is not a chart stays');
    assert.equal(nb.cells[1].metadata.execution, undefined, 'no timestamps');
  });

  it('the code hash follows code cells only', () => {
    const nb = asNotebook();
    const hash = codeHash(nb);
    nb.cells[0].source = '# Another title';
    nb.cells[1].outputs = [];
    assert.equal(codeHash(nb), hash, 'markdown and outputs do not count');
    nb.cells[1].source = 'gan.showFigure(other);';
    assert.notEqual(codeHash(nb), hash);
    assert.equal(executedMode(asNotebook()), 'full');
  });
});
