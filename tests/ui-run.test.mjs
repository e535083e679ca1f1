// Issue 17 asks that notebooks 08 and 09 run top to bottom in the Jupyter UI, not only under the runner
// (nbclient). This opens a copy of each in the classic Notebook that `npm start` serves, in headless
// Chromium, runs Cell › Run All in the tslab kernel (quick mode, TSGAN_QUICK=1 in the server's
// environment) and checks that every code cell ran, none raised, and every claim printed ✔ and none ✘.
// The notebooks run where they are (their relative paths, e.g. ../models, hold only there) with the UI's
// autosave switched off before the first cell runs, and the files must be byte for byte as before.
// Needs `npm run setup` and Chromium, like the other notebook tests. TSGAN_UI_RUN=a.ipynb,b.ipynb picks
// other notebooks (when debugging one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../scripts/jupyter-env.mjs';
import { launchBrowser } from './html-check.mjs';
import { freePort, startNotebookServer } from './notebook-server.mjs';

const NOTEBOOKS = (process.env.TSGAN_UI_RUN ?? '08_dynamics_and_failures.ipynb,09_conditional_gan.ipynb').split(',');

test(
  'notebooks 08 and 09 run top to bottom in the Jupyter Notebook UI (Run All, tslab kernel, quick mode)',
  { timeout: 900_000 },
  async (t) => {
    const files = NOTEBOOKS.map((name) => path.join(repoRoot, 'notebooks', name));
    const before = files.map((f) => fs.readFileSync(f));
    const server = await startNotebookServer(await freePort(), { TSGAN_QUICK: '1' });
    let browser = null;
    try {
      assert.ok(server.info, `the server did not start:\n${server.output()}`);
      const { port, token } = server.info;
      browser = await launchBrowser();
      for (const name of NOTEBOOKS) {
        const page = await browser.context.newPage();
        await page.goto(`http://127.0.0.1:${port}/notebooks/notebooks/${name}?token=${token}`, {
          waitUntil: 'load',
          timeout: 120_000,
        });
        await page.waitForFunction(
          () =>
            window.Jupyter?.notebook?.kernel?.is_connected?.() &&
            window.Jupyter.notebook.kernel.info_reply?.implementation,
          null,
          { timeout: 120_000 },
        );
        await page.evaluate(() => window.Jupyter.notebook.set_autosave_interval(0));
        const kernel = await page.evaluate(() => window.Jupyter.notebook.kernel.name);
        const started = Date.now();
        await page.evaluate(() => window.Jupyter.notebook.execute_all_cells());
        // Done when every code cell has an execution count. A cell that fails stops Run All (tslab reports
        // the error on stderr), after which the kernel stays idle with cells left unrun.
        const progress = () =>
          page.evaluate(() => {
            const cells = window.Jupyter.notebook.get_cells().filter((c) => c.cell_type === 'code');
            return {
              done: cells.every((c) => typeof c.input_prompt_number === 'number'),
              busy: window.Jupyter.notebook.kernel_busy || cells.some((c) => c.input_prompt_number === '*'),
            };
          });
        let idleSeconds = 0;
        for (let waited = 0; ; waited += 1) {
          const p = await progress();
          if (p.done) break;
          idleSeconds = p.busy ? 0 : idleSeconds + 1;
          if (idleSeconds >= 10 || waited > 600) {
            const state = await page.evaluate(() =>
              window.Jupyter.notebook
                .get_cells()
                .filter((c) => c.cell_type === 'code')
                .map(
                  (c, i) =>
                    `${i}: [${c.input_prompt_number ?? ' '}] ${c.get_text().slice(0, 60).replace(/\n/g, ' ')}` +
                    (typeof c.input_prompt_number === 'number'
                      ? `\n    ${c.output_area.outputs.map((o) => `${o.output_type}${o.name ? ` ${o.name}` : ''}: ${String(o.text ?? o.evalue ?? Object.keys(o.data ?? {}).join(',')).slice(0, 300)}`).join('\n    ')}`
                      : ''),
                ),
            );
            assert.fail(
              `${name}: Run All ${waited > 600 ? 'did not finish in 600 s' : 'stopped with cells left unrun'}; cells:\n${state.join('\n')}`,
            );
          }
          await page.waitForTimeout(1000);
        }
        const seconds = (Date.now() - started) / 1000;
        const result = await page.evaluate(() => {
          const cells = window.Jupyter.notebook.get_cells().filter((c) => c.cell_type === 'code');
          const text = (o) => [o.text, o.data?.['text/plain'], o.data?.['text/html']].filter(Boolean).join('');
          const outputs = cells.flatMap((c) => c.output_area.outputs);
          return {
            cells: cells.length,
            notRun: cells.filter((c) => typeof c.input_prompt_number !== 'number').length,
            errors: outputs
              .filter((o) => o.output_type === 'error' || (o.name === 'stderr' && /Error/.test(o.text)))
              .map((o) => o.evalue ?? o.text.slice(0, 300)),
            crosses: outputs.map(text).filter((s) => s.includes('✘')),
            checks: outputs.map(text).join('').split('✔').length - 1,
          };
        });
        t.diagnostic(
          `${name}: kernel ${kernel}, ${result.cells} code cells, ${result.checks} ✔, ${seconds.toFixed(0)} s`,
        );
        assert.equal(kernel, 'tslab', `${name} runs in the tslab kernel`);
        assert.deepEqual(result.errors, [], `${name}: no cell raises`);
        assert.equal(result.notRun, 0, `${name}: every code cell ran`);
        assert.deepEqual(result.crosses, [], `${name}: no claim fails`);
        assert.ok(result.checks >= 3, `${name} printed its claims (${result.checks} ✔)`);
        await page.close();
      }
    } finally {
      await browser?.close();
      await server.stop();
    }
    files.forEach((f, i) =>
      assert.ok(
        fs.readFileSync(f).equals(before[i]),
        `${path.relative(repoRoot, f)} is unchanged by the UI run (autosave off, never saved)`,
      ),
    );
  },
);
