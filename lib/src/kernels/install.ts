/**
 * Installs tsgan's wasm kernels in tfjs's kernel registry (backend 'wasm'). Idempotent; undone by
 * uninstallWasmKernels(). TSGAN_WASM_KERNELS=0 stops initBackend from installing them (the benchmark
 * times "wasm as shipped" that way).
 */
import * as tf from '@tensorflow/tfjs';
import { batchMatMulWasm, fusedMatMulWasm } from './batchMatMul';
import { conv2dBackpropFilterWasm } from './conv2dBackpropFilter';
import { conv2dBackpropInputWasm } from './conv2dBackpropInput';
import { conv2dWasm, fusedConv2dWasm } from './conv2d';
import { identityWasm, tileWasm } from './heapKernels';
import { equalWasm, greaterWasm, maxWasm, multiplyWasm } from './rowKernels';
import { adamWasm, sgdMomentumWasm } from './optimizerKernels';
import { bernoulliWasm } from './bernoulliKernel';
import { batchNormWasm, leakyReluWasm, selectWasm } from './activationKernels';
import { ADAM_KERNEL, BERNOULLI_KERNEL, SGD_MOMENTUM_KERNEL } from './ownOps';
import { envFlag } from '../host/flags';
import { meanWasm, sumWasm } from './reduceLeading';
import { shippedKernels } from './wasmCall';
import { installGradients, uninstallGradients } from './gradients';

export interface WasmKernelInfo {
  kernelName: string;
  /** What was wrong with the shipped kernel. */
  why: string;
}

interface Replacement extends WasmKernelInfo {
  kernelFunc: (args: never) => tf.TensorInfo | tf.TensorInfo[];
  /** Our kernel calls the shipped one, which must exist. */
  wraps: boolean;
}

const replacements: Replacement[] = [
  {
    kernelName: tf.Conv2DBackpropFilter,
    why: 'missing in tfjs-backend-wasm (conv layers could not train); now one gemm over the patch matrix',
    kernelFunc: conv2dBackpropFilterWasm,
    wraps: false,
  },
  {
    kernelName: tf.Conv2DBackpropInput,
    why: 'shipped as a scalar loop; now one gemm and a scatter-add (col2im)',
    kernelFunc: conv2dBackpropInputWasm,
    wraps: false,
  },
  {
    kernelName: tf.BatchMatMul,
    why: 'transposed or batched operands fell to a scalar loop; now tsgan gemm (no transposes, 1.5× XNNPACK)',
    kernelFunc: batchMatMulWasm,
    wraps: true,
  },
  {
    kernelName: tf._FusedMatMul,
    why: 'as BatchMatMul; also its bias was wrong for batch > 1',
    kernelFunc: fusedMatMulWasm,
    wraps: true,
  },
  {
    kernelName: tf.Conv2D,
    why: "'same' padding disagreed with tfjs/cpu for some shapes, and XNNPACK ran on one thread; now im2col + gemm",
    kernelFunc: conv2dWasm,
    wraps: true,
  },
  { kernelName: tf.FusedConv2D, why: 'as Conv2D', kernelFunc: fusedConv2dWasm, wraps: true },
  {
    kernelName: tf.Sum,
    why: 'reducing leading axes (bias and batch-norm gradients) transposed them first, per element; now one pass',
    kernelFunc: sumWasm,
    wraps: true,
  },
  { kernelName: tf.Mean, why: 'as Sum (batch-norm moments)', kernelFunc: meanWasm, wraps: true },
  {
    kernelName: tf.Tile,
    why: "per-element index arithmetic (batch norm's gradient); now memmoves",
    kernelFunc: tileWasm,
    wraps: true,
  },
  {
    kernelName: tf.Max,
    why: 'over the last axis (maxout) with per-element index arithmetic; now a row loop',
    kernelFunc: maxWasm,
    wraps: true,
  },
  {
    kernelName: tf.Equal,
    why: "broadcasting was per-element index arithmetic (max's gradient, maxout); now a row loop",
    kernelFunc: equalWasm,
    wraps: true,
  },
  { kernelName: tf.Multiply, why: "as Equal (max's gradient)", kernelFunc: multiplyWasm, wraps: true },
  {
    kernelName: tf.Greater,
    why: "against a scalar (LeakyReLU's gradient) 3.5 ns per element; now one vectorised loop",
    kernelFunc: greaterWasm,
    wraps: true,
  },
  {
    kernelName: tf.LeakyRelu,
    why: '2–3 ns per element (DCGAN D); now one vectorised loop',
    kernelFunc: leakyReluWasm,
    wraps: true,
  },
  { kernelName: tf.Select, why: "as LeakyRelu (its gradient's where)", kernelFunc: selectWasm, wraps: true },
  {
    kernelName: tf.FusedBatchNorm,
    why: 'as LeakyRelu (batch norm with per-channel statistics)',
    kernelFunc: batchNormWasm,
    wraps: true,
  },
  {
    kernelName: SGD_MOMENTUM_KERNEL,
    why: 'new (tsgan): the SGD-with-momentum update in one pass instead of 4 tensor ops',
    kernelFunc: sgdMomentumWasm,
    wraps: false,
  },
  {
    kernelName: ADAM_KERNEL,
    why: 'new (tsgan): the Adam update in one pass instead of 12 tensor ops',
    kernelFunc: adamWasm,
    wraps: false,
  },
  {
    kernelName: BERNOULLI_KERNEL,
    why: 'new (tsgan): dropout masks drawn in the heap, ≈ 10× faster than in JavaScript',
    kernelFunc: bernoulliWasm,
    wraps: false,
  },
  {
    kernelName: tf.Identity,
    why: 'copied the data for every tensor saved for the backward pass; now shares it',
    kernelFunc: identityWasm,
    wraps: true,
  },
];

let installed: WasmKernelInfo[] | null = null;

/** Registers the replacements for backend 'wasm' (which must already be registered, i.e. imported). */
export function installWasmKernels(): WasmKernelInfo[] {
  if (installed) return installed;
  const done: WasmKernelInfo[] = [];
  for (const r of replacements) {
    const shipped = tf.getKernel(r.kernelName, 'wasm');
    if (r.wraps && !shipped) continue;
    if (shipped) {
      shippedKernels.set(r.kernelName, shipped);
      tf.unregisterKernel(r.kernelName, 'wasm');
    }
    tf.registerKernel({ kernelName: r.kernelName, backendName: 'wasm', kernelFunc: r.kernelFunc as tf.KernelFunc });
    done.push({ kernelName: r.kernelName, why: r.why });
  }
  installGradients();
  installed = done;
  return done;
}

/** Restores tfjs-backend-wasm's own kernels (Conv2DBackpropFilter is then missing again). */
export function uninstallWasmKernels(): void {
  if (!installed) return;
  for (const r of installed) {
    tf.unregisterKernel(r.kernelName, 'wasm');
    const shipped = shippedKernels.get(r.kernelName);
    if (shipped) tf.registerKernel(shipped);
  }
  shippedKernels.clear();
  uninstallGradients();
  installed = null;
}

/** The kernels currently replaced (empty when not installed). */
export function installedWasmKernels(): WasmKernelInfo[] {
  return installed ? [...installed] : [];
}

/** TSGAN_WASM_KERNELS=0 keeps tfjs-backend-wasm as shipped (for comparisons); a word that is not on/off is an error. */
export function wasmKernelsWanted(): boolean {
  return envFlag('TSGAN_WASM_KERNELS', true);
}
