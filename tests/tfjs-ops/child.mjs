/**
 * One configuration of the tfjs op-test run (started by run.mjs, under `node --import tsx`, which lets
 * require() load tfjs-core's dist/ files: ES modules with extensionless imports). TSGAN_WASM_KERNELS=0
 * gives wasm as shipped, anything else wasm with tsgan's kernels. Sends run.mjs one message:
 * { config, installed, problems, specs: [{ name, status, message }] } and exits.
 *
 * The wasm backend starts once, through tsgan's initBackend as a user's notebook starts it, and is kept:
 * tfjs-core's describeWithFlags resets the engine before and after every suite, which would dispose the
 * backend and start the wasm module (threads included) again some forty times.
 */
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { coverageProblems, testFiles } from './kernelTests.mjs';

const require = createRequire(import.meta.url);
const config = process.argv[2];

// jasmine as tfjs-core's own test setup uses it: globals describe/it/expect, 20 s per spec.
const jasmineRequire = require('jasmine-core/lib/jasmine-core/jasmine.js');
const jasmine = jasmineRequire.core(jasmineRequire);
const jasmineEnv = jasmine.getEnv();
Object.assign(globalThis, jasmineRequire.interface(jasmine, jasmineEnv));
jasmine.DEFAULT_TIMEOUT_INTERVAL = 20000;
jasmineEnv.configure({ random: false });

const lib = await import('../../lib/src/index.ts');

// Test environments must be set before the test files register their suites (at require time). No flags:
// describeWithFlags would otherwise overwrite the flags the backend starts with.
const core = require.resolve('@tensorflow/tfjs-core/package.json').replace(/package\.json$/, 'dist/');
const jasmineUtil = require(`${core}jasmine_util.js`);
jasmineUtil.setTestEnvs([{ name: 'wasm', backendName: 'wasm', isDataSync: true }]);
for (const file of testFiles()) require(`${core}ops/${file}`);

// After the test files: their tfjs-core copy registers tfjs's gradients, which tsgan's must replace.
await lib.initBackend({ backend: 'wasm' });
const engine = tf.engine();
const { ENGINE } = require(`${core}engine.js`);
if (ENGINE !== engine)
  throw new Error('tfjs-core dist/ and @tensorflow/tfjs use different engines: the run would test neither');
engine.reset = () => {};

const installed = lib.installedWasmKernels().map((k) => k.kernelName);
const kernelNames = Object.values(require(`${core}kernel_names.js`)).filter((v) => typeof v === 'string');
const problems = config === 'tsgan' ? coverageProblems(installed, kernelNames) : [];
if (config === 'tsgan' && installed.length === 0)
  problems.push('tsgan installed no wasm kernels (TSGAN_WASM_KERNELS=0 set?)');
if (config === 'shipped' && installed.length > 0)
  problems.push(`wasm as shipped has tsgan's kernels installed: ${installed.join(', ')}`);

const specs = [];
jasmineEnv.addReporter({
  specDone(r) {
    specs.push({ name: r.fullName, status: r.status, message: r.failedExpectations[0]?.message?.split('\n')[0] ?? '' });
  },
  suiteDone(r) {
    // An error in a beforeAll/afterAll fails the suite, not a spec: count it as a failed "spec" of its own.
    if (r.failedExpectations.length > 0) {
      specs.push({
        name: `${r.fullName} (suite)`,
        status: 'failed',
        message: r.failedExpectations[0].message.split('\n')[0],
      });
    }
  },
});
if (problems.length === 0) await jasmineEnv.execute();
process.send({ config, installed, problems, specs }, () => process.exit(0));
