// Issue 18: an executed copy carries each chart twice, as interactive HTML and as a picture (image/png,
// added by the runner for viewers without JavaScript). Opened in the Jupyter Notebook UI (`npm start`),
// the copy must still show the interactive charts, not the pictures. This executes notebook 00 in quick
// mode into build/ui-check/, serves the checkout with `npm start`'s script and opens the copy in headless
// Chromium. Needs `npm run setup` and Chromium, like the other notebook tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../scripts/jupyter-env.mjs';
import { chartOutputs } from '../scripts/figure-pictures.mjs';
import { launchBrowser } from './html-check.mjs';
import { freePort, startNotebookServer } from './notebook-server.mjs';

const outDir = path.join(repoRoot, 'build', 'ui-check');
const name = '00_setup.ipynb';

test(
  'an executed copy with chart pictures shows the interactive charts in the Jupyter Notebook UI',
  { timeout: 300_000 },
  async () => {
    fs.rmSync(outDir, { recursive: true, force: true });
    const run = spawnSync(
      process.execPath,
      [path.join(repoRoot, 'scripts', 'notebooks.mjs'), '--out', outDir, path.join('notebooks', name)],
      {
        cwd: repoRoot,
        env: { ...process.env, TSGAN_QUICK: '1', INIT_CWD: repoRoot },
        encoding: 'utf8',
        timeout: 240_000,
      },
    );
    assert.equal(run.status, 0, `the runner failed:\n${run.stdout}${run.stderr}`);
    const copy = path.join(outDir, name);
    const charts = chartOutputs(JSON.parse(fs.readFileSync(copy, 'utf8')));
    assert.ok(charts.length > 0, 'notebook 00 draws a chart');
    assert.ok(
      charts.every((c) => c.output.data['image/png']),
      'the runner gave every chart a picture',
    );

    const server = await startNotebookServer(await freePort());
    let browser = null;
    try {
      assert.ok(server.info, `the server did not start:\n${server.output()}`);
      const { port, token } = server.info;
      browser = await launchBrowser();
      const page = await browser.context.newPage();
      const rel = path.relative(repoRoot, copy).split(path.sep).join('/');
      await page.goto(`http://127.0.0.1:${port}/notebooks/${rel}?token=${token}`, {
        waitUntil: 'load',
        timeout: 120_000,
      });
      // The copy is signed (trusted), so the Notebook runs the charts' scripts: plotly draws an svg.main-svg.
      let seen = { drawn: 0, pictures: 0 };
      for (let waited = 0; seen.drawn < charts.length && waited < 120_000; waited += 500) {
        await page.waitForTimeout(500);
        seen = await page.evaluate(() => ({
          drawn: document.querySelectorAll('.output_area div.tsgan-plot svg.main-svg').length,
          // a chart's picture would be an <img> with a PNG data URL inside the output of a chart
          pictures: [...document.querySelectorAll('.output_area')].filter(
            (a) => a.querySelector('div.tsgan-plot') && a.querySelector('img[src^="data:image/png"]'),
          ).length,
        }));
      }
      assert.ok(
        seen.drawn >= charts.length,
        `${seen.drawn} interactive chart(s) drawn for ${charts.length} chart output(s)`,
      );
      assert.equal(seen.pictures, 0, 'the UI shows the interactive chart, not its picture');
    } finally {
      await browser?.close();
      await server.stop();
    }
  },
);
