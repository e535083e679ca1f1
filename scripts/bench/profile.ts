/**
 * Where one GAN iteration spends its time, kernel by kernel (a diagnostic, not part of `npm run bench`):
 *   node --import tsx scripts/bench/profile.ts [paper|dcgan] [iters=10]   (--help: PROFILE_USAGE)
 * Wraps every wasm kernel (and the shipped kernels tsgan's replacements call) with a timer that counts
 * exclusive process CPU time, so the numbers hold up when other work loads the machine. What is left of the
 * iteration's CPU time outside all kernels is tfjs's own bookkeeping (tape, tidy, gradients, layers).
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/src';
import { ganIteration } from './ganIteration';
import { shippedKernels } from '../../lib/src/kernels/wasmCall';
import { prepareWasmThreads, wasmThreadsStatus } from '../../lib/src/kernels/wasmThreads';
import { parseFlags } from '../../lib/src/cli/args';
import { UsageError } from '../../lib/src/cli/usage';

interface Stat {
  calls: number;
  exclusiveUs: number;
}
const stats = new Map<string, Stat>();
const stack: { name: string; start: number; child: number }[] = [];
const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

function timed(name: string, f: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const frame = { name, start: cpuUs(), child: 0 };
    stack.push(frame);
    try {
      return f(args);
    } finally {
      const total = cpuUs() - frame.start;
      stack.pop();
      if (stack.length) stack[stack.length - 1].child += total;
      const s = stats.get(name) ?? { calls: 0, exclusiveUs: 0 };
      s.calls++;
      s.exclusiveUs += total - frame.child;
      stats.set(name, s);
    }
  };
}

function shapeKey(args: { inputs: Record<string, tf.TensorInfo>; attrs?: Record<string, unknown> }): string {
  const ins = Object.entries(args.inputs ?? {})
    .filter(([, v]) => v && (v as tf.TensorInfo).shape)
    .map(([k, v]) => `${k}[${(v as tf.TensorInfo).shape}]`)
    .join(' ');
  const a = args.attrs ?? {};
  const t = a.transposeA !== undefined ? ` tA=${a.transposeA ? 1 : 0} tB=${a.transposeB ? 1 : 0}` : '';
  return ins + t;
}

const PROFILE_USAGE = `Usage: node --import tsx scripts/bench/profile.ts [paper|dcgan] [iters]

Times one GAN iteration kernel by kernel: the paper's MNIST GAN (paper, default) or the DCGAN, over iters
iterations (default 10) after 3 of warm-up. PROFILE_SHAPES=1 also splits each kernel by its input shapes.`;

/** The model and the number of iterations; a wrong argument is a UsageError saying what is allowed. */
function profileArgs(argv: string[]): { model: 'paper' | 'dcgan'; iters: number } | null {
  const p = parseFlags(argv, {}, PROFILE_USAGE, true);
  if (p.values.help) return null;
  const [model = 'paper', iters = '10', ...extra] = p.positionals;
  if (model !== 'paper' && model !== 'dcgan')
    throw new UsageError(`the model must be paper or dcgan, got "${model}"`, PROFILE_USAGE);
  if (!/^\d+$/.test(iters) || Number(iters) < 1)
    throw new UsageError(`iters must be a whole number ≥ 1, got "${iters}"`, PROFILE_USAGE);
  if (extra.length) throw new UsageError(`Unexpected arguments: ${extra.join(' ')}`, PROFILE_USAGE);
  return { model, iters: Number(iters) };
}

async function main(): Promise<void> {
  let args;
  try {
    args = profileArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`profile: ${e.message}\n\n${e.usage}`);
    process.exit(2);
  }
  if (!args) return void console.log(PROFILE_USAGE);
  const { model, iters } = args;
  const byShape = process.env.PROFILE_SHAPES === '1';
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- registers the backend for its side effect
  require('@tensorflow/tfjs-backend-wasm');
  prepareWasmThreads();
  await initBackend({ backend: 'wasm' });
  console.log(`wasm threads: ${JSON.stringify(wasmThreadsStatus())}`);
  for (const k of tf.getKernelsForBackend('wasm')) {
    const f = k.kernelFunc;
    tf.unregisterKernel(k.kernelName, 'wasm');
    tf.registerKernel({
      ...k,
      kernelFunc: byShape
        ? (args) => timed(`${k.kernelName} ${shapeKey(args as never)}`, f)(args)
        : timed(k.kernelName, f),
    });
  }
  for (const [name, k] of shippedKernels) {
    const f = k.kernelFunc;
    shippedKernels.set(name, {
      ...k,
      kernelFunc: byShape
        ? (args) => timed(`shipped ${name} ${shapeKey(args as never)}`, f)(args)
        : timed(`shipped ${name}`, f),
    });
  }
  const gan = ganIteration(model);
  const phase = { d: 0, g: 0, z: 0 };
  const iteration = () => {
    let t = cpuUs();
    const [zd, zg] = gan.sampleNoise();
    phase.z += cpuUs() - t;
    t = cpuUs();
    gan.dStep(zd);
    phase.d += cpuUs() - t;
    t = cpuUs();
    gan.gStep(zg);
    phase.g += cpuUs() - t;
    tf.dispose([zd, zg]);
  };
  for (let i = 0; i < 3; i++) iteration();
  stats.clear();
  phase.d = phase.g = phase.z = 0;
  const c0 = cpuUs();
  const w0 = performance.now();
  for (let i = 0; i < iters; i++) iteration();
  const totalUs = (cpuUs() - c0) / iters;
  const wallMs = (performance.now() - w0) / iters;
  const rows = [...stats.entries()].sort((a, b) => b[1].exclusiveUs - a[1].exclusiveUs);
  const inKernels = rows.reduce((s, [, v]) => s + v.exclusiveUs, 0) / iters;
  console.log(
    `${model}: ${(totalUs / 1000).toFixed(1)} ms CPU per iteration (wall ${wallMs.toFixed(1)} ms); ` +
      `z ${(phase.z / iters / 1000).toFixed(1)}, D step ${(phase.d / iters / 1000).toFixed(1)}, G step ${(phase.g / iters / 1000).toFixed(1)} ms CPU`,
  );
  console.log(
    `in kernels ${(inKernels / 1000).toFixed(1)} ms, outside kernels ${((totalUs - inKernels) / 1000).toFixed(1)} ms`,
  );
  for (const [name, s] of rows.slice(0, byShape ? 60 : 40)) {
    const ms = s.exclusiveUs / iters / 1000;
    if (ms < 0.05) continue;
    console.log(
      `${ms.toFixed(2).padStart(8)} ms ${((100 * s.exclusiveUs) / iters / totalUs).toFixed(1).padStart(5)}%  ${(s.calls / iters).toFixed(0).padStart(4)}×  ${name}`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
