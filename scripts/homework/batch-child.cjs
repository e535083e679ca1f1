// The batch child of the grader (isolate.mjs runBatch): loads TensorFlow.js and tsgan once, then runs each of
// one student's exercise programs in its own scope with a time limit, and prints one result line per exercise.
// Whatever kills this process (process.exit, a crash, an asynchronous hang) leaves the remaining exercises
// without a result: the grader then runs each of those in its own process.
'use strict';
const fs = require('node:fs');
const vm = require('node:vm');

const RESULT = '@@tsgan-homework-result@@';

async function main() {
  const { token, timeoutMs, programs } = JSON.parse(fs.readFileSync(0, 'utf8'));
  const tf = require('@tensorflow/tfjs');
  tf.enableProdMode();
  await tf.setBackend('cpu');
  require('tsgan');
  // captured before any student code runs
  const out = process.stdout.write.bind(process.stdout);
  const exit = process.exit.bind(process);
  const report = (id, result) => out(`\n${RESULT}${token}${JSON.stringify({ id, result })}\n`);
  globalThis.__hwRequire = require;
  for (const p of programs) {
    globalThis.__hwResult = undefined;
    try {
      new vm.Script(`(function (exports, require) {\n${p.js}\n})({}, globalThis.__hwRequire);`, { filename: `${p.id}.js` })
        .runInThisContext({ timeout: timeoutMs });
      const r = globalThis.__hwResult;
      report(p.id, r === undefined ? { cellError: 'the program gave no result' } : r);
    } catch (e) {
      if (e && e.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') report(p.id, { timedOut: true });
      else report(p.id, { cellError: String(e && e.message ? e.message : e).split('\n')[0] });
    }
    await new Promise((r) => setImmediate(r)); // let the student's pending callbacks fail here, not in the next exercise
  }
  exit(0);
}

main();
