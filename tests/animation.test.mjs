// The training replays (tsgan's animatedFigure/showAnimation) really play offline in a browser: frames
// are registered with plotly, and moving the slider changes the picture. Checked in headless Chromium
// (1) on a page built here from the lib's own HTML, so the check never depends on another test's
// output, and (2) on every executed notebook HTML in build/notebooks/ that holds an animation and is
// newer than its notebook (written by `npm run notebooks` or the notebook tests).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchBrowser } from './html-check.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

let browser = null;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/**
 * Opens the page and checks every div.tsgan-animation in it: plotly drew it, holds as many frames as
 * the div announces, and a click far along the slider's rail shows another frame (other pixels, the
 * frame's own data, a new slider label). Returns how many animations were checked.
 */
async function checkAnimations(htmlPath) {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e.message ?? e).split('\n')[0]));
  await page.route(/^https?:/, (route) => route.abort());
  try {
    // a page that inlines plotly.js (4.6 MB) takes seconds to parse, minutes on a loaded 2-core machine
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load', timeout: 400_000 });
    const count = await page.locator('div.tsgan-animation').count();
    for (let i = 0; i < count; i++) {
      const box = page.locator('div.tsgan-animation').nth(i);
      await box.scrollIntoViewIfNeeded();
      const plot = box.locator('div.tsgan-plot');
      await plot.locator('svg.main-svg').first().waitFor({ timeout: 60_000 });
      const expected = Number(await box.getAttribute('data-frames'));
      const frames = async () => plot.evaluate((el) => el._transitionData?._frames?.length ?? 0);
      const deadline = Date.now() + 30_000;
      while ((await frames()) < expected && Date.now() < deadline) await page.waitForTimeout(100);
      assert.equal(
        await frames(),
        expected,
        `animation ${i} of ${htmlPath}: plotly holds ${await frames()} frames, the div announces ${expected}`,
      );
      assert.ok(expected >= 2, `animation ${i}: only ${expected} frame(s), nothing to replay`);

      const before = { png: await plot.screenshot() };
      const rail = await plot.locator('.slider-rail-rect').first().boundingBox();
      assert.ok(rail, `animation ${i}: no slider rail drawn`);
      await page.mouse.click(rail.x + rail.width * 0.95, rail.y + rail.height / 2);
      // the slider animates to the frame under the click; wait until the plot shows that frame's data
      const shown = async () =>
        plot.evaluate((el) => {
          const active = el._fullLayout.sliders[0].active;
          const frame = el._transitionData._frames[active];
          return {
            active,
            same: JSON.stringify(el.data.map((t) => t.x)) === JSON.stringify(frame.data.map((t) => t.x)),
          };
        });
      let s = await shown();
      const until = Date.now() + 10_000;
      while ((s.active === 0 || !s.same) && Date.now() < until) {
        await page.waitForTimeout(100);
        s = await shown();
      }
      await page.waitForTimeout(300);
      assert.ok(s.active > 0, `animation ${i}: clicking the slider did not move it (active frame ${s.active})`);
      assert.ok(s.same, `animation ${i}: the plot does not show the data of frame ${s.active}`);
      const afterPng = await plot.screenshot();
      assert.ok(!afterPng.equals(before.png), `animation ${i}: the picture did not change when the slider moved`);
    }
    assert.deepEqual(errors, [], `page errors in ${htmlPath}`);
    return count;
  } finally {
    await page.close().catch(() => {});
  }
}

test(
  'an animation made by the lib registers its frames and follows the slider, offline',
  { timeout: 600_000 },
  async () => {
    const gan = require(path.join(repo, 'lib', 'dist', 'index.js'));
    // three pictures in which G's samples sit at different places and D's surface tilts differently
    const grid = [-1, 0, 1];
    const snapshot = (k) => ({
      gridX: grid,
      gridY: grid,
      d: grid.map((y) => grid.map((x) => 1 / (1 + Math.exp(-(k - 1) * x - y)))),
      real: { x: [1, -1], y: [0, 0] },
      fake: { x: [-0.5 + 0.5 * k, 0.2 * k], y: [0.5 - 0.4 * k, -0.3] },
      gradient: { x: [0.1 * k, -0.2], y: [0.3, 0.1 * k] },
    });
    const fig = gan.animatedFigure(
      [0, 1, 2].map((k) => ({
        label: `step ${100 * k}`,
        figure: gan.planeFigure(snapshot(k), { title: `picture ${k}` }),
      })),
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgan-animation-'));
    try {
      const html = path.join(dir, 'animation.html');
      fs.writeFileSync(
        html,
        `<!doctype html><html><body>${gan.plotlyBundleHtml()}\n${gan.animationHtml(fig)}</body></html>`,
      );
      assert.equal(await checkAnimations(html), 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);

const outDir = path.join(repo, 'build', 'notebooks');
const executed = fs.existsSync(outDir)
  ? fs
      .readdirSync(outDir)
      .filter(
        (f) => f.endsWith('.html') && fs.readFileSync(path.join(outDir, f), 'utf8').includes('class="tsgan-animation"'),
      )
  : [];
for (const name of executed) {
  test(
    `${name}: its training replays play (frames present, the slider changes the picture)`,
    { timeout: 600_000 },
    async (t) => {
      const source = path.join(repo, 'notebooks', name.replace(/\.html$/, '.ipynb'));
      const html = path.join(outDir, name);
      if (fs.existsSync(source) && fs.statSync(source).mtimeMs > fs.statSync(html).mtimeMs) {
        return t.skip('the executed copy is older than the notebook: run `npm run notebooks` first');
      }
      const n = await checkAnimations(html);
      t.diagnostic(`${n} animation(s) checked`);
      assert.ok(n > 0);
    },
  );
}
