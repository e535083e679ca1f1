#!/usr/bin/env node
// npm run check:imports: the lib's import graph has no cycle, and no folder imports a folder of a higher
// layer. The layers are written down here, once, lowest first: a file may import files of its own folder
// and of folders in lower layers; folders of one layer are independent of each other.
// Imports are read with TypeScript's own pre-processor (ts.preProcessFile), not by regular expressions.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(repo, 'lib', 'src');

/**
 * Folders of lib/src, lowest layer first. '.' is lib/src/index.ts, the package's barrel. README's module
 * table groups them: the runtime (host, kernels, backend), the paper's library (random, data, metrics,
 * models, losses, train, viz) and the app (checkpoint, claims, experiments, classifier, homework, cli).
 */
export const LAYERS = [
  ['host'],
  ['kernels'],
  ['backend', 'random'],
  ['data', 'metrics'],
  ['models', 'losses'],
  ['train'],
  ['viz'],
  ['checkpoint', 'claims'],
  ['experiments', 'classifier'],
  ['homework'],
  ['cli'],
  ['.'],
];

/** Arrows known to run upward, each with the issue that removes it: reported, not failed (none today). */
export const KNOWN_UPWARD = {};

const layerOf = new Map(LAYERS.flatMap((folders, i) => folders.map((f) => [f, i])));

function listTs(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return listTs(p);
    return e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

function resolveImport(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(candidate)) return candidate;
  return null;
}

/** lib/src/<folder>/…: the folder; lib/src/index.ts: '.'. */
function folderOf(file) {
  const rel = path.relative(SRC, file).split(path.sep);
  return rel.length > 1 ? rel[0] : '.';
}

export function importGraph(files = listTs(SRC)) {
  const graph = new Map();
  const problems = [];
  for (const file of files) {
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const targets = [];
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolveImport(file, fileName);
      if (target) targets.push(target);
      else problems.push(`${path.relative(repo, file)}: cannot resolve '${fileName}'`);
    }
    graph.set(file, targets);
  }
  return { graph, problems };
}

/** Strongly connected components with more than one file (Tarjan), i.e. the import cycles. */
export function cycles(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  let next = 0;
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

export function upwardImports(graph) {
  const up = [];
  for (const [file, targets] of graph) {
    const a = folderOf(file);
    for (const t of targets) {
      const b = folderOf(t);
      if (a === b) continue;
      if (!layerOf.has(a) || !layerOf.has(b)) {
        up.push({ arrow: `${a} -> ${b}`, file, target: t, unlisted: !layerOf.has(a) ? a : b });
      } else if (layerOf.get(b) >= layerOf.get(a)) up.push({ arrow: `${a} -> ${b}`, file, target: t });
    }
  }
  return up;
}

function main() {
  const { graph, problems } = importGraph();
  const rel = (f) => path.relative(repo, f);
  for (const c of cycles(graph)) problems.push(`import cycle: ${c.map(rel).join(' -> ')}`);
  let known = 0;
  for (const u of upwardImports(graph)) {
    if (u.unlisted)
      problems.push(`lib/src/${u.unlisted} is in no layer: add it to LAYERS in scripts/check-imports.mjs`);
    else if (KNOWN_UPWARD[u.arrow]) {
      known++;
      console.warn(`known upward import ${u.arrow} (${rel(u.file)}): ${KNOWN_UPWARD[u.arrow]}`);
    } else {
      problems.push(
        `${rel(u.file)} imports ${rel(u.target)}: ${u.arrow} runs from a lower layer to a higher or equal one (LAYERS in scripts/check-imports.mjs)`,
      );
    }
  }
  const unique = [...new Set(problems)];
  if (unique.length) {
    for (const p of unique) console.error(p);
    process.exit(1);
  }
  console.log(
    `check:imports: ${graph.size} files, no cycle, no upward import${known ? ` (${known} known, listed above)` : ''}`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
