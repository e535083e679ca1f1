// `npm run gallery -- [--from <folder>] [--out <folder>] [notebook.ipynb ...]`: executed copies of the
// notebooks that can be read without running anything, committed in gallery/. Every chart is a picture
// only (no inlined plotly.js, no plotly JSON), text and images stay; gallery/README.md lists them, one
// line and one thumbnail (gallery/thumbs/<name>.png) each.
//   default     executes the notebooks in full mode with the project's runner (scripts/notebooks.mjs,
//               TSGAN_QUICK unset) into build/gallery-run/, then builds the gallery from those copies
//   --from DIR  builds from copies already executed into DIR (e.g. build/notebooks) without re-running
//   --out DIR   writes the gallery there instead of gallery/
// A copy is used only when it passed (the runner signs only passing copies) and its code cells are the
// notebook's own; each gallery notebook stores a hash of its source's code cells, which
// tests/gallery.test.mjs compares to catch a stale gallery. A gallery copy from a full-mode run is never
// replaced by a quick-mode one; a notebook that failed keeps its previous gallery copy. Exit 1 if any
// notebook could not be added.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { repoRoot, notebooksDir, rel } from './jupyter-env.mjs';
import { readCommandLine, userPath } from './args.mjs';
import {
  addPictures,
  openPicturePage,
  isSigned,
  isPlotlyBundle,
  joined,
  writeNotebook,
  CHART_MARK,
  PLOTLY_MIME,
} from './figure-pictures.mjs';

export const galleryDir = path.join(repoRoot, 'gallery');
const runDir = path.join(repoRoot, 'build', 'gallery-run');
const THUMB_WIDTH = 240;
const usage = 'usage: npm run gallery -- [--from <folder of executed copies>] [--out <folder>] [notebook.ipynb ...]';

/** The sources of a notebook's code cells, in order (what the gallery must agree with). */
export function codeCells(nb) {
  return (nb.cells ?? []).filter((c) => c.cell_type === 'code').map((c) => joined(c.source));
}

/** sha256 of a notebook's code cells: stored in each gallery copy as metadata.tsgan_gallery.code_sha256. */
export function codeHash(nb) {
  return crypto
    .createHash('sha256')
    .update(JSON.stringify(codeCells(nb)))
    .digest('hex');
}

/**
 * 'quick', 'full' or 'unknown': the mode the notebook says it ran in, from the line every notebook's first
 * cell prints (lib/src/claims/backendLine.ts: "Backend: … · quick mode (TSGAN_QUICK=1) · …"; older: "mode: quick").
 */
export function executedMode(nb) {
  for (const cell of nb.cells ?? []) {
    for (const o of cell.outputs ?? []) {
      const text = o.output_type === 'stream' ? joined(o.text) : '';
      const m = /^Backend: .* · (quick|full) mode\b/m.exec(text) ?? /^mode: (quick|full)\b/m.exec(text);
      if (m) return m[1];
    }
  }
  return 'unknown';
}

/** True for an output that came out of the picture step (figure-pictures.mjs marks them). */
export const isPictureOutput = (o) => Boolean(o.metadata?.tsgan?.picture) && Boolean(o.data?.['image/png']);

/**
 * The gallery form of an executed notebook with pictures: the plotly.js output is gone, a chart output
 * keeps only its picture (and text/plain), execution timestamps are dropped. Returns the number of pictures.
 */
export function toGalleryForm(nb) {
  let pictures = 0;
  for (const cell of nb.cells ?? []) {
    if (cell.cell_type !== 'code') continue;
    delete cell.metadata?.execution; // timestamps: noise in every regenerated diff
    cell.outputs = (cell.outputs ?? []).filter((o) => !isPlotlyBundle(o));
    for (const o of cell.outputs) {
      if (!isPictureOutput(o)) continue;
      const { 'image/png': png, 'text/plain': text } = o.data;
      o.data = text === undefined ? { 'image/png': png } : { 'image/png': png, 'text/plain': text };
      pictures += 1;
    }
  }
  return pictures;
}

/** Title of a notebook: its first markdown heading, without the #s. */
export function notebookTitle(nb, fallback) {
  for (const cell of nb.cells ?? []) {
    if (cell.cell_type !== 'markdown') continue;
    const m = /^#+\s+(.+)$/m.exec(joined(cell.source));
    if (m) return m[1].trim();
  }
  return fallback;
}

/** A small PNG (base64) of the last picture, else the last image, of a gallery notebook; null if it has none. */
async function thumbnail(page, nb) {
  const outputs = (nb.cells ?? []).flatMap((c) => c.outputs ?? []).filter((o) => o.data?.['image/png']);
  const chosen = outputs.filter(isPictureOutput).pop() ?? outputs.pop();
  if (!chosen) return null;
  const url = await page.evaluate(
    async ({ src, width }) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      const w = Math.min(width, img.naturalWidth);
      const canvas = document.createElement('canvas');
      canvas.width = w;
      canvas.height = Math.round((img.naturalHeight * w) / img.naturalWidth);
      const ctx = canvas.getContext('2d');
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      return canvas.toDataURL('image/png');
    },
    { src: `data:image/png;base64,${joined(chosen.data['image/png'])}`, width: THUMB_WIDTH },
  );
  return url.replace(/^data:image\/png;base64,/, '');
}

/** gallery/README.md: one line and one thumbnail per gallery notebook present in `out`. */
export function indexPage(out, sources) {
  const lines = [
    '# Gallery: the notebooks, executed',
    '',
    'Executed copies of the notebooks in [`notebooks/`](../notebooks), with every chart as a picture, so that',
    'they can be read on a code host, in nbviewer or in any viewer that runs no JavaScript (live training views',
    'become their last frame). Progress bars stay HTML, which such viewers may show as text or not at all. To',
    'run or change a notebook, open the original in `notebooks/`;',
    'these copies are regenerated by `npm run gallery`, and `tests/gallery.test.mjs` fails when one of them no',
    "longer matches its notebook's code.",
    '',
    '| | Notebook |',
    '|---|---|',
  ];
  for (const source of sources) {
    const name = path.basename(source, '.ipynb');
    const file = path.join(out, `${name}.ipynb`);
    if (!fs.existsSync(file)) {
      lines.push(`| | ${name}: not in the gallery yet (run \`npm run gallery\`) |`);
      continue;
    }
    const nb = JSON.parse(fs.readFileSync(file, 'utf8'));
    const meta = nb.metadata?.tsgan_gallery ?? {};
    const thumb = fs.existsSync(path.join(out, 'thumbs', `${name}.png`)) ? `![${name}](thumbs/${name}.png)` : '';
    const size = fs.statSync(file).size / 1024 / 1024;
    const facts = [`${meta.pictures ?? 0} chart picture(s)`, `${meta.mode ?? 'unknown'} mode`, `${size.toFixed(1)} MB`];
    lines.push(
      `| ${thumb} | [${notebookTitle(nb, name).replace(/\|/g, '\\|')}](${name}.ipynb) · ${facts.join(' · ')} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Builds the gallery copy of one notebook; returns { name, ok, message, bytes? }. */
async function buildOne(source, fromDir, out, page) {
  const name = path.basename(source, '.ipynb');
  const executed = path.join(fromDir, `${name}.ipynb`);
  const fail = (message) => ({ name, ok: false, message });
  if (!fs.existsSync(executed)) return fail(`no executed copy ${rel(executed)}`);
  const src = JSON.parse(fs.readFileSync(source, 'utf8'));
  const nb = JSON.parse(fs.readFileSync(executed, 'utf8'));
  if (codeHash(nb) !== codeHash(src))
    return fail(`${rel(executed)} was executed from other code than ${rel(source)}: execute it again`);
  if (!isSigned(executed))
    return fail(
      `${rel(executed)} did not pass (the runner signs only passing copies): fix the notebook and execute it again`,
    );
  const mode = executedMode(nb);
  const target = path.join(out, `${name}.ipynb`);
  if (mode === 'quick' && fs.existsSync(target)) {
    const previous = JSON.parse(fs.readFileSync(target, 'utf8')).metadata?.tsgan_gallery?.mode;
    if (previous === 'full')
      return fail(
        `${rel(executed)} ran in quick mode; it would replace a full-mode gallery copy (execute it without TSGAN_QUICK)`,
      );
  }
  const drawn = await addPictures(nb, { page });
  if (drawn.failed.length)
    return fail(`charts not drawn: ${drawn.failed.map((f) => `cell ${f.cellIndex}: ${f.reason}`).join('; ')}`);
  const pictures = toGalleryForm(nb);
  const leftover = nb.cells
    .flatMap((c) => c.outputs ?? [])
    .filter((o) => o.data?.[PLOTLY_MIME] || joined(o.data?.['text/html']).includes(CHART_MARK));
  if (leftover.length) return fail(`${leftover.length} chart output(s) without a picture`);
  nb.metadata.tsgan_gallery = {
    source: path.relative(out, source).split(path.sep).join('/'),
    code_sha256: codeHash(src),
    mode,
    pictures,
    generated: new Date().toISOString().slice(0, 10),
  };
  fs.mkdirSync(path.join(out, 'thumbs'), { recursive: true });
  writeNotebook(target, nb);
  const thumb = await thumbnail(page, nb);
  const thumbFile = path.join(out, 'thumbs', `${name}.png`);
  if (thumb) fs.writeFileSync(thumbFile, Buffer.from(thumb, 'base64'));
  else fs.rmSync(thumbFile, { force: true });
  const warn = mode === 'full' ? '' : ` (executed in ${mode} mode: the committed gallery should be full mode)`;
  return {
    name,
    ok: true,
    message: `${pictures} picture(s) (${(drawn.bytes / 1024).toFixed(0)} KB), ${(fs.statSync(target).size / 1024).toFixed(0)} KB${warn}`,
    bytes: fs.statSync(target).size,
  };
}

async function main(args) {
  const flags = readCommandLine(
    args,
    { from: { type: 'string' }, out: { type: 'string' } },
    {
      usage,
      help: `${usage}\n  default: execute every notebooks/*.ipynb in full mode into ${rel(runDir)}/, then write ${rel(galleryDir)}/.`,
      allowPositionals: true,
      exitCode: 1,
      describe: (e) => (e.kind === 'missing' ? `${e.arg} needs a folder` : e.message),
    },
  );
  let fromDir = flags.values.from === undefined ? null : userPath(flags.values.from);
  const out = flags.values.out === undefined ? galleryDir : userPath(flags.values.out);
  const picked = flags.positionals.map(userPath);
  const all = fs
    .readdirSync(notebooksDir)
    .filter((f) => f.endsWith('.ipynb'))
    .sort()
    .map((f) => path.join(notebooksDir, f));
  const missing = picked.filter((p) => !fs.existsSync(p));
  if (missing.length) {
    console.error(`No such notebook: ${missing.map((p) => rel(p)).join(', ')}`);
    return 1;
  }
  const sources = picked.length ? picked : all;
  if (fromDir && !fs.existsSync(fromDir)) {
    console.error(`No such folder: ${rel(fromDir)}`);
    return 1;
  }
  const t0 = Date.now();
  if (!fromDir) {
    fromDir = runDir;
    const env = { ...process.env };
    delete env.TSGAN_QUICK; // the gallery shows full mode
    delete env.TSGAN_RERUN;
    console.log(`Executing ${sources.length} notebook(s) in full mode into ${rel(runDir)}/ ...`);
    // Failed notebooks do not stop the gallery: each copy is checked below (a failed one is not signed).
    // --no-pictures: the pictures are drawn below, once, by the gallery's own page.
    const run = spawnSync(
      process.execPath,
      [path.join(repoRoot, 'scripts', 'notebooks.mjs'), '--no-pictures', '--out', runDir, ...sources],
      { stdio: 'inherit', env, cwd: repoRoot },
    );
    if (run.status === 130 || run.signal) {
      console.log('Interrupted: the gallery was not changed.');
      return 130;
    }
  }
  const tRun = Date.now();
  fs.mkdirSync(out, { recursive: true });
  const session = await openPicturePage();
  const results = [];
  try {
    for (const source of sources) {
      const t = Date.now();
      const r = await buildOne(source, fromDir, out, session.page);
      results.push(r);
      console.log(`${r.ok ? 'OK  ' : 'FAIL'} ${r.name}: ${r.message} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    }
  } finally {
    await session.close();
  }
  fs.writeFileSync(path.join(out, 'README.md'), indexPage(out, all));
  const files = all.map((s) => path.join(out, `${path.basename(s, '.ipynb')}.ipynb`)).filter((f) => fs.existsSync(f));
  const thumbs = fs.existsSync(path.join(out, 'thumbs'))
    ? fs.readdirSync(path.join(out, 'thumbs')).map((f) => path.join(out, 'thumbs', f))
    : [];
  const total = [...files, ...thumbs].reduce((n, f) => n + fs.statSync(f).size, 0);
  const failed = results.filter((r) => !r.ok).length;
  console.log(
    `${results.length - failed} written, ${failed} failed; ${rel(out)}/ holds ${files.length} notebook(s), ${(total / 1024 / 1024).toFixed(2)} MB with thumbnails; ` +
      `${fromDir === runDir && tRun > t0 ? `executing ${((tRun - t0) / 1000).toFixed(0)} s, ` : ''}pictures and gallery ${((Date.now() - tRun) / 1000).toFixed(0)} s`,
  );
  return failed ? 1 : 0;
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
