// Runs one exercise of one submission in its own node process: the reference solutions of the exercises it
// depends on, then the student's cell, then the grader's own check (from the lib, never the notebook's check
// cells). A syntax error, a throw, a hang or a crash costs that exercise only. Not a sandbox against
// deliberate attacks: the student's code runs with the grader's rights.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { repoRoot } from './notebook.mjs';

const require = createRequire(import.meta.url);
const ts = require('typescript');

const RESULT = '@@tsgan-homework-result@@';
const IMPORT_LINE = /^\s*import\s+(?:[\s\S]*?\s+from\s+)?['"]([^'"]+)['"];?\s*$/;

/** Import lines leave the cells (the program imports once, at the top); tf and tsgan are always there. */
function splitImports(text) {
  const imports = [];
  const body = text.split('\n').map((line) => {
    if (!IMPORT_LINE.test(line)) return line;
    const module = line.match(IMPORT_LINE)[1];
    if (module !== '@tensorflow/tfjs' && module !== 'tsgan') imports.push(line.trim());
    return ''; // keep the line count, so compile errors point at the student's own line
  });
  return { imports, body: body.join('\n') };
}

/**
 * The TypeScript program for exercise `id`: reference cells (trusted) then the student's cell, inside one async
 * function (tslab cells may use top-level await), and the lib's grade() on what the cell defined. With batch,
 * the variant for the batch child (batch-child.cjs), which runs all of a student's exercises in one process:
 * synchronous, so that the vm time limit covers the student's code and the check alike, with the result in
 * globalThis.__hwResult (a cell with top-level await does not compile there and is run on its own instead).
 */
export function buildProgram({ id, fn, referenceCells, studentCell, token, batch = false }) {
  const refs = referenceCells.map((c) => splitImports(c));
  const student = splitImports(studentCell);
  const imports = [...new Set([...refs.flatMap((r) => r.imports), ...student.imports])];
  const prelude = batch
    ? ['function __cells(): unknown {']
    : [
      // captured before any student code runs; the token lives only in this closure. Exits at once: a timer the
      // student left running must not hold the process until the time limit.
      `const __report = ((token: string, out: (s: string) => boolean, exit: (code: number) => never) => (r: unknown) => { out('\\n${RESULT}' + token + JSON.stringify(r) + '\\n'); exit(0); })(${JSON.stringify(token)}, process.stdout.write.bind(process.stdout), process.exit.bind(process));`,
      'tf.enableProdMode();',
      'async function __cells(): Promise<unknown> {',
      "  await tf.setBackend('cpu');",
    ];
  const epilogue = batch
    ? [
      'let __f: unknown;',
      "try { __f = __cells(); } catch (e) { __f = { cellError: String(e && (e as Error).message ? (e as Error).message : e).split('\\n')[0] }; }",
      `(globalThis as any).__hwResult = __f && typeof __f === 'object' && 'cellError' in (__f as object) ? __f : __grade(${JSON.stringify(id)}, __f);`,
    ]
    : [
      '__cells().then(',
      `  (f) => __report(__grade(${JSON.stringify(id)}, f)),`,
      "  (e) => __report({ cellError: String(e && e.message ? e.message : e).split('\\n')[0] }),",
      ');',
    ];
  const head = [
    "import * as tf from '@tensorflow/tfjs';",
    "import * as gan from 'tsgan';",
    ...imports,
    'const __grade = gan.homework.grade;',
    ...prelude,
    '  const hw = gan.homework;',
    ...refs.map((r) => r.body),
    "{ // the student's cell, in a block of its own: names it declares again (hw, a helper) shadow instead of clashing",
  ].join('\n');
  const tail = [`  return typeof ${fn} === 'function' ? ${fn} : undefined;`, '}', '}', ...epilogue].join('\n');
  const code = `${head}\n${student.body}\n${tail}\n`;
  return { code, studentFirstLine: head.split('\n').length + 1, studentLines: student.body.split('\n').length };
}

/** Runs several compiled batch programs in one child; returns Map id -> result for those that finished. */
export function runBatch(programs, { timeoutMs, env, token }) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [new URL('./batch-child.cjs', import.meta.url).pathname], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    // the vm limit stops a synchronous loop; this one stops what escapes it (a timer, a pending promise)
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs * programs.length + 30_000);
    child.stdout.on('data', (d) => { if (stdout.length < 8e6) stdout += d; });
    child.stderr.on('data', () => {});
    child.on('close', () => {
      clearTimeout(timer);
      const marker = RESULT + token;
      const results = new Map();
      for (const line of stdout.split('\n')) {
        if (!line.startsWith(marker)) continue;
        try {
          const { id, result } = JSON.parse(line.slice(marker.length));
          results.set(id, result);
        } catch { /* a cut line: that exercise is run again on its own */ }
      }
      resolve(results);
    });
    child.stdin.end(JSON.stringify({ token, timeoutMs, programs }));
  });
}

/** TypeScript -> CommonJS, types stripped; syntax errors in the student's lines come back with their line number. */
export function compileProgram(p) {
  const out = ts.transpileModule(p.code, {
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) {
    const d = errors[0];
    const line = d.start === undefined ? 0 : p.code.slice(0, d.start).split('\n').length - p.studentFirstLine + 1;
    const msg = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    return { error: line >= 1 && line <= p.studentLines ? `line ${line} of your cell: ${msg}` : msg };
  }
  return { js: out.outputText };
}

/** Runs compiled JS in `node -` from the repo root (so 'tsgan' resolves); kills it after timeoutMs. */
export function runIsolated(js, { timeoutMs, env, token }) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-'], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d) => { if (stdout.length < 4e6) stdout += d; });
    child.stderr.on('data', (d) => { if (stderr.length < 1e6) stderr += d; });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const marker = RESULT + token;
      const line = stdout.split('\n').reverse().find((l) => l.startsWith(marker));
      let result = null;
      if (line) {
        try { result = JSON.parse(line.slice(marker.length)); } catch { result = null; }
      }
      resolve({ result, timedOut, code, signal, stderr });
    });
    child.stdin.end(js);
  });
}

export const newToken = () => randomBytes(12).toString('hex');
