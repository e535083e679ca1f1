// Opens an executed notebook's HTML export in headless Chromium and checks that what the notebook
// drew is really visible: every plotly figure (div.tsgan-plot from tsgan's viz module, or a plain
// .plotly-graph-div) has an svg.main-svg, and every <img> decoded (naturalWidth > 0).
// Used by notebooks.test.mjs right after each notebook runs (a separate test file could run before
// the notebooks, or in parallel with them, and see stale files).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const CHROMIUM = process.env.TSGAN_CHROMIUM || '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const PLOT_SELECTOR = 'div.tsgan-plot, div.plotly-graph-div';

/** Starts Chromium with a fresh profile; returns { context, close }. Throws a message naming the fix. */
export async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: the HTML checks need it. Install it with ` +
        '`sudo apt-get install chromium` (Debian/Ubuntu), or set TSGAN_CHROMIUM=/path/to/chromium. ' +
        'Do not run `npx playwright install`: playwright-core drives the system Chromium.',
    );
  }
  const { chromium } = await import('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgan-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** What the executed .ipynb says should be in the page: plot divs and images in its outputs. */
export function expectedFromNotebook(ipynbPath) {
  const nb = JSON.parse(fs.readFileSync(ipynbPath, 'utf8'));
  let plots = 0;
  let pngs = 0;
  for (const cell of nb.cells ?? []) {
    for (const out of cell.outputs ?? []) {
      const data = out.data ?? {};
      const html = Array.isArray(data['text/html']) ? data['text/html'].join('') : (data['text/html'] ?? '');
      for (const m of html.matchAll(/<div\b[^>]*\bclass="([^"]*)"/g)) {
        const classes = m[1].split(/\s+/);
        if (classes.includes('tsgan-plot') || classes.includes('plotly-graph-div')) plots += 1;
      }
      // nbconvert's HTML shows one form per output, text/html before images: a chart's picture (added by
      // the runner beside its HTML) is not in the page, an image output alone is.
      if ((data['image/png'] || data['image/jpeg']) && !html) pngs += 1;
    }
  }
  return { plots, pngs };
}

/**
 * Loads the HTML (offline: http(s) requests are refused, the page must not need a CDN) and returns
 * { plots, drawn, undrawn: [ids], images, brokenImages: [srcs], pageErrors: [..], blocked: [urls] }.
 * timeoutMs covers loading and, again, drawing: a page carrying plotly's 4.8 MB bundle took over 60 s to
 * load on a 2-core machine busy with other work.
 */
export async function inspectHtml(context, htmlPath, { timeoutMs = 120_000 } = {}) {
  const page = await context.newPage();
  const pageErrors = [];
  const blocked = [];
  page.on('pageerror', (e) => pageErrors.push(String(e.message ?? e).split('\n')[0]));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(`console: ${m.text().slice(0, 300)}`);
  });
  await page.route(/^https?:/, (route) => {
    blocked.push(route.request().url());
    return route.abort();
  });
  try {
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load', timeout: timeoutMs });
    const state = () =>
      page.evaluate((sel) => {
        const divs = [...document.querySelectorAll(sel)];
        const imgs = [...document.images];
        return {
          plots: divs.length,
          mainSvgs: document.querySelectorAll('svg.main-svg').length,
          undrawn: divs.filter((d) => !d.querySelector('svg.main-svg')).map((d) => d.id || d.className),
          images: imgs.length,
          pendingImages: imgs.filter((i) => !i.complete).length,
          brokenImages: imgs
            .filter((i) => i.complete && i.naturalWidth === 0)
            .map((i) => (i.currentSrc || i.src).slice(0, 120)),
        };
      }, PLOT_SELECTOR);
    // Figures draw from scripts that wait for plotly.js; poll until all are drawn or time runs out.
    const deadline = Date.now() + timeoutMs;
    let s = await state();
    while ((s.undrawn.length || s.pendingImages) && Date.now() < deadline) {
      await page.waitForTimeout(250);
      s = await state();
    }
    return { ...s, pageErrors, blocked };
  } finally {
    await page.close().catch(() => {});
  }
}
