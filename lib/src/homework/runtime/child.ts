/**
 * The sandboxed child of the grader (scripts/homework/sandbox.mjs starts it): it reads one student's programs
 * and the inputs of their cases from stdin, runs each program (the student's cell) with a time limit, runs the
 * function it defines on the inputs (runners.ts) and writes the raw results, one line per message, to fd 3.
 * It never sees an expected value and computes no score: the parent judges what it writes, and trusts none
 * of it beyond its types. After a time-out it exits, so that the exercises left run in a fresh process.
 */
import fs from 'node:fs';
import vm from 'node:vm';
import * as tf from '@tensorflow/tfjs';
import type { CaseSet } from '../cases';
import { encodeRaw } from '../outcome';
import { runCases } from '../runners';
import { DEPENDENCIES, STUDENT_GAN } from './deps';

interface Program {
  id: keyof CaseSet;
  /** CommonJS from scripts/homework/program.mjs: sets exports.__cells, an async function returning the student's function. */
  js: string;
  /** Names of the exercises whose functions the cell may call. */
  dependsOn: string[];
  inputs: unknown[];
}

// captured before any student code runs: the cell can write to fd 3 too, but only about its own results
const channel = fs.writeSync.bind(fs, 3);
const send = (msg: object): void => {
  channel(encodeRaw(msg) + '\n');
};
const exit = process.exit.bind(process);
const firstLine = (e: unknown): string => String(e instanceof Error ? e.message : e).split('\n')[0].slice(0, 300);

/** `require` inside a cell: TensorFlow.js and `gan` (the sandbox's, see deps.ts), nothing else. */
function cellRequire(name: string): unknown {
  if (name === '@tensorflow/tfjs') return tf;
  if (name === 'tsgan') return STUDENT_GAN;
  throw new Error(`module "${name}" is not available when grading: use tf (@tensorflow/tfjs) and gan only.`);
}

function timeLimit(ms: number): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(Object.assign(new Error('time'), { code: 'ERR_SCRIPT_EXECUTION_TIMEOUT' })), ms).unref());
}

async function runProgram(p: Program, timeoutMs: number): Promise<boolean> {
  const g = globalThis as { [k: string]: unknown };
  const deps = Object.assign({}, ...p.dependsOn.map((d) => DEPENDENCIES[d] ?? {}));
  g.__hwArgs = [{}, cellRequire, deps];
  const t0 = Date.now();
  const left = () => Math.max(1, timeoutMs - (Date.now() - t0));
  try {
    // the cell's synchronous part runs under vm's limit; what it awaits, under a timer
    const script = new vm.Script(`(function (exports, require, __deps) {\n${p.js}\nreturn exports.__cells(__deps);\n}).apply(null, globalThis.__hwArgs)`, { filename: `${p.id}.js` });
    const fn = await Promise.race([script.runInThisContext({ timeout: timeoutMs }) as Promise<unknown>, timeLimit(left())]);
    if (typeof fn !== 'function') {
      send({ id: p.id, report: { noFunction: true } });
      return true;
    }
    g.__hwGo = () => runCases(p.id, fn, p.inputs);
    const run = new vm.Script('globalThis.__hwGo()', { filename: `${p.id}-run.js` }).runInThisContext({ timeout: left() }) as ReturnType<typeof runCases>;
    send({ id: p.id, report: 'notAttempted' in run ? run : { raws: run } });
    return true;
  } catch (e) {
    if ((e as { code?: string })?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      send({ id: p.id, timedOut: true });
      return false;
    }
    const message = firstLine(e);
    send({ id: p.id, report: message.toLowerCase().includes('not implemented') ? { notAttempted: true } : { cellError: message } });
    return true;
  }
}

async function main(): Promise<void> {
  const { timeoutMs, programs } = JSON.parse(fs.readFileSync(0, 'utf8')) as { timeoutMs: number; programs: Program[] };
  tf.enableProdMode();
  await tf.setBackend('cpu');
  for (const p of programs) {
    send({ id: p.id, start: true });
    if (!(await runProgram(p, timeoutMs))) exit(0);
    await new Promise((r) => setImmediate(r)); // the student's pending callbacks fail here, not in the next exercise
  }
  exit(0);
}

main().catch((e) => {
  process.stderr.write(`homework child: ${firstLine(e)}\n`);
  exit(70);
});
