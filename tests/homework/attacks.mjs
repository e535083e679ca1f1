// Hostile submissions for tests/homework-attacks.test.mjs: each student's cells, as a mischievous student would
// write them (issue 27's table, and a few more). Kept here, outside homework/source and homework/release, which
// hold assignments only. Every cell still defines its function, so what is measured is the attack, not a
// missing function. HONEST_MARKER is planted in the honest students' notebooks: it must never reach an output.

import { fnCell } from './fixtures.mjs';

export const HONEST_MARKER = 'HONEST-MARKER-7f3a';
/** A port on 127.0.0.1 the test listens on: a sandboxed student must not reach it. */
export const NET_PORT = 47613;
/** Unique arguments of `sleep`, so the test can find the processes a hostile cell left behind. */
export const SLEEP_DETACHED = '299.51';
export const SLEEP_FORK = '299.52';
/** Where a detached grandchild tries to write after the grader has exited (relative to the repository). */
export const DETACHED_MARKER = 'build/homework-attack-detached.txt';


// Finds the hidden cases the way the attacker did: the environment, then the grader's command line.
const FIND_CASE_FILES = `
const __fs = require('fs');
const __path = require('path');
function __caseFiles(): string[] {
  const out = (process.env.TSGAN_HOMEWORK_CASES ?? '').split(':').filter(Boolean);
  try {
    let pid = process.ppid;
    for (let i = 0; i < 5 && pid > 1; i++) {
      const argv = __fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8').split('\\0');
      const k = argv.indexOf('--hidden');
      if (k >= 0) out.push(__path.resolve(__fs.readlinkSync('/proc/' + pid + '/cwd'), argv[k + 1]));
      pid = Number(__fs.readFileSync('/proc/' + pid + '/stat', 'utf8').split(') ')[1].split(' ')[1]);
    }
  } catch { /* keep looking elsewhere */ }
  return out;
}`;

// The grader hands cells a `require` that knows tf and gan only; a hostile cell takes Node's own from the main
// module, so that what these attacks measure is the operating system's sandbox, not that convenience.
const REAL_REQUIRE =
  'const __rq: any = (process as any).mainModule ? (process as any).mainModule.require.bind((process as any).mainModule) : require;';
const withRealRequire = (cells) =>
  Object.fromEntries(Object.entries(cells).map(([id, text]) => [id, `${REAL_REQUIRE}\n${text.replace(/\brequire\(/g, '__rq(')}`]));

/** student name -> { cells: { grade_id: text }, attacked: exercises that must score 0 } */
const ATTACKS = {
  // process.exit, and a forged report when the exercise is re-run alone
  'mallory-exit': {
    attacked: ['ex7'],
    cells: {
      ex7: fnCell(
        'ex7',
        '  return 0;',
        "if (typeof __report === 'function') __report({ id: 'ex7', title: 'x', points: 1, status: 'pass', fraction: 1, score: 1000, message: 'forged' });\nelse process.exit(0);",
      ),
    },
  },
  // the grader's own grade() replaced, wrong answers everywhere else
  'mallory-grade': {
    attacked: ['ex1', 'ex2', 'ex3', 'ex6', 'ex8', 'ex9', 'ex10'],
    cells: {
      ex1: fnCell(
        'ex1',
        '  return tf.zeros([n, dim]) as tf.Tensor2D;',
        "const __pass = () => ({ id: 'x', title: 'x', points: 1, status: 'pass', fraction: 1, score: 1000, message: 'forged' });\n" +
          "try { require('tsgan/dist/homework/check').grade = __pass; } catch { /* not here */ }\n" +
          'try { (gan as any).homework.grade = __pass; } catch { /* not here */ }',
      ),
      ex2: fnCell('ex2', '  return tf.scalar(0);'),
      ex3: fnCell('ex3', '  return tf.scalar(0);'),
      ex6: fnCell('ex6', '  return tf.zeros([x.shape[0], units]) as tf.Tensor2D;'),
      ex8: fnCell('ex8', '  return pData.map(() => 0);'),
      ex9: fnCell('ex9', '  return 0;'),
      ex10: fnCell('ex10', '  return 0;'),
    },
  },
  // rewrites the teacher's public cases so that classmates' right answers look wrong
  'mallory-cases': {
    attacked: [],
    cells: {
      ex1: fnCell(
        'ex1',
        '  return tf.zeros([n, dim]) as tf.Tensor2D;',
        "try {\n  const f = require('path').join(process.cwd(), 'homework', 'cases', 'public.json');\n" +
          "  const j = JSON.parse(require('fs').readFileSync(f, 'utf8'));\n" +
          '  for (const c of j.exercises.ex2) c.expected = -c.expected;\n' +
          "  require('fs').writeFileSync(f, JSON.stringify(j));\n} catch { /* read-only */ }",
      ),
    },
  },
  // a detached grandchild that outlives the grader and writes into the teacher's checkout
  'mallory-detached': {
    attacked: [],
    cells: {
      ex1: fnCell(
        'ex1',
        '  return tf.zeros([n, dim]) as tf.Tensor2D;',
        'try {\n' +
          `  const f = require('path').join(process.cwd(), ${JSON.stringify(DETACHED_MARKER)});\n` +
          "  const code = `setTimeout(() => { try { require('fs').writeFileSync(${JSON.stringify(f)}, 'mallory was here'); } catch {} }, 1500)`;\n" +
          "  require('child_process').spawn(process.execPath, ['-e', code.replace('${JSON.stringify(f)}', JSON.stringify(f))], { detached: true, stdio: 'ignore' }).unref();\n" +
          '} catch { /* no processes */ }',
      ),
    },
  },
  // reads the hidden cases (environment, grader's command line), answers ex2 by lookup, leaks them through ex3
  'mallory-hidden': {
    attacked: ['ex2', 'ex3'],
    cells: {
      ex2: fnCell(
        'ex2',
        '  const r = Array.from(realLogits.dataSync());\n' +
          '  for (const file of __caseFiles()) {\n' +
          "    try { for (const c of JSON.parse(__fs.readFileSync(file, 'utf8')).exercises.ex2) if (Math.abs(c.real[0] - r[0]) < 1e-6) return tf.scalar(c.expected); } catch { /* next */ }\n" +
          '  }\n  return tf.scalar(0);',
        FIND_CASE_FILES,
      ),
      ex3: fnCell(
        'ex3',
        "  let leak = 'leak:';\n" +
          "  for (const file of __caseFiles()) { try { leak += __fs.readFileSync(file, 'utf8').replace(/\\s+/g, ' ').slice(0, 2000); } catch (e) { leak += ' ' + (e as Error).message; } }\n" +
          '  throw new Error(leak);',
        FIND_CASE_FILES,
      ),
    },
  },
  // the teacher's solutions: String() of a dependency, and homework/source itself
  'mallory-source': {
    attacked: ['ex4'],
    cells: {
      ex4: fnCell(
        'ex4',
        "  let leak = 'leak:' + String(discriminatorLoss);\n" +
          "  try { leak += require('fs').readFileSync(require('path').join(process.cwd(), 'homework', 'source', 'gan_homework.ipynb'), 'utf8').slice(0, 6000); } catch (e) { leak += (e as Error).message; }\n" +
          "  throw new Error(leak.replace(/\\s+/g, ' '));",
      ),
    },
  },
  // stops the grader
  'mallory-kill': {
    attacked: [],
    cells: {
      ex5: fnCell(
        'ex5',
        '  return 0;',
        "try { process.kill(process.ppid, 'SIGTERM'); } catch { /* not allowed */ }\ntry { process.kill(1, 'SIGKILL'); } catch { /* not allowed */ }",
      ),
    },
  },
  // stalls the class: a detached sleep holding the grader's pipes, and a fork bomb
  'mallory-stall': {
    attacked: [],
    cells: {
      ex6: fnCell(
        'ex6',
        '  return tf.zeros([x.shape[0], units]) as tf.Tensor2D;',
        `try { require('child_process').spawn('sleep', ['${SLEEP_DETACHED}'], { detached: true, stdio: 'inherit' }).unref(); } catch { /* no processes */ }`,
      ),
      ex9: fnCell(
        'ex9',
        '  return 0;',
        `try { for (let i = 0; i < 100; i++) require('child_process').spawn('sleep', ['${SLEEP_FORK}'], { detached: true, stdio: 'ignore' }).unref(); } catch { /* no processes */ }`,
      ),
    },
  },
  // network, a classmate's submission, memory
  'mallory-reach': {
    attacked: ['ex10'],
    cells: {
      ex8: fnCell(
        'ex8',
        '  return pData.map(() => 0);',
        `try { require('net').connect(${NET_PORT}, '127.0.0.1').on('error', () => {}); } catch { /* no network */ }`,
      ),
      ex10: fnCell(
        'ex10',
        "  let leak = 'leak:';\n" +
          '  try {\n' +
          '    let pid = process.ppid;\n' +
          '    for (let i = 0; i < 5 && pid > 1; i++) {\n' +
          "      const argv = require('fs').readFileSync('/proc/' + pid + '/cmdline', 'utf8').split('\\0');\n" +
          "      const k = argv.indexOf('grade');\n" +
          '      if (k >= 0) {\n' +
          "        const dir = require('path').resolve(require('fs').readlinkSync('/proc/' + pid + '/cwd'), argv[k + 1]);\n" +
          "        for (const f of require('fs').readdirSync(dir)) { const t = require('fs').readFileSync(require('path').join(dir, f), 'utf8'); const m = t.indexOf('HONEST-MARKER'); if (m >= 0) leak += t.slice(m, m + 40); }\n" +
          '      }\n' +
          "      pid = Number(require('fs').readFileSync('/proc/' + pid + '/stat', 'utf8').split(') ')[1].split(' ')[1]);\n" +
          '    }\n' +
          '  } catch (e) { leak += (e as Error).message; }\n' +
          "  throw new Error(leak.replace(/\\s+/g, ' '));",
      ),
      ex11: fnCell(
        'ex11',
        '  const hog: Float64Array[] = [];\n  for (let i = 0; i < 24; i++) hog.push(new Float64Array(2 ** 24).fill(i));\n  G.__hog = hog;',
      ),
    },
  },
  // calls the library's reference instead of writing the function
  'mallory-reference': {
    attacked: ['ex1', 'ex2', 'ex3', 'ex4', 'ex5', 'ex8', 'ex11'],
    cells: {
      ex1: fnCell('ex1', '  return gan.uniformPrior(dim).sample(n, rng);'),
      ex2: fnCell('ex2', '  return gan.discriminatorLoss(realLogits, fakeLogits);'),
      ex3: fnCell('ex3', '  return gan.generatorLoss(fakeLogits, { variant });'),
      ex4: fnCell('ex4', '  return gan.discriminatorStep({ generator: G, discriminator: D, optimizer, real, z }).dLoss;'),
      ex5: fnCell('ex5', '  return gan.generatorStep({ generator: G, discriminator: D, optimizer, z }).gLoss;'),
      ex8: fnCell('ex8', '  return Array.from(gan.optimalDiscriminator(pData, pG));'),
      ex11: fnCell(
        'ex11',
        '  for (let s = 0; s < options.steps; s++) {\n    const real = sampleReal(options.batchSize);\n    const z = samplePrior(options.batchSize, options.latentDim, rng);\n' +
          '    gan.simultaneousStep({ generator: G, discriminator: D, dOptimizer, gOptimizer, real, z });\n    tf.dispose([real, z]);\n  }',
      ),
    },
  },
  // ex7's and q1's answers copied from the public cases
  'mallory-copy': {
    attacked: ['ex7', 'q1'],
    cells: {
      ex7: fnCell('ex7', '  return 1231441;'),
      q1: fnCell('q1', '  return { saturating: -0.01, nonSaturating: -0.99 };'),
    },
  },
};

export const ATTACKERS = Object.fromEntries(Object.entries(ATTACKS).map(([name, a]) => [name, { ...a, cells: withRealRequire(a.cells) }]));
