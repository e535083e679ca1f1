/**
 * Convolutions as matrix products on tsgan's gemm (NHWC, float32). With col = the patch matrix of x
 * (gemm/layout.c: one row per output pixel, one column per filter tap and input channel) and W read as
 * [fh·fw·cin, cout]:
 *   forward         y  = col · W                  (Conv2D, FusedConv2D)
 *   filter gradient dW = colᵀ · dy                 (Conv2DBackpropFilter: missing in tfjs-backend-wasm)
 *   input gradient  dx = col2im(dy · Wᵀ)           (Conv2DBackpropInput, i.e. also Conv2DTranspose)
 * Each is one threaded gemm call with its transposes read through strides, and no multiplication by the
 * zeros that a dilated dy or a padded phase filter would add.
 */
import * as tf from '@tensorflow/tfjs';
import { addressOf, gemmOf, type GemmBackend, type PatchGeometry } from './gemm';
import { Info, release } from './wasmCall';

export function patchGeometry(info: tf.backend_util.Conv2DInfo): PatchGeometry {
  return {
    n: info.batchSize,
    h: info.inHeight,
    w: info.inWidth,
    cin: info.inChannels,
    fh: info.filterHeight,
    fw: info.filterWidth,
    sh: info.strideHeight,
    sw: info.strideWidth,
    dh: info.dilationHeight,
    dw: info.dilationWidth,
    top: info.padInfo.top,
    left: info.padInfo.left,
    oh: info.outHeight,
    ow: info.outWidth,
  };
}

const rowsOf = (g: PatchGeometry) => g.n * g.oh * g.ow;
const depthOf = (g: PatchGeometry) => g.fh * g.fw * g.cin;

/** A 1×1, stride-1, unpadded convolution's patch matrix is x itself. */
function isPointwise(g: PatchGeometry): boolean {
  return (
    g.fh === 1 && g.fw === 1 && g.sh === 1 && g.sw === 1 && g.top === 0 && g.left === 0 && g.oh === g.h && g.ow === g.w
  );
}

/** Runs f with the patch matrix of x (freed afterwards unless it is x). */
function withPatches<T>(backend: GemmBackend, x: Info, g: PatchGeometry, f: (col: Info) => T): T {
  if (isPointwise(g)) return f(x);
  const col = backend.makeOutput([rowsOf(g), depthOf(g)], 'float32');
  gemmOf(backend).im2col(addressOf(backend, x), g, addressOf(backend, col));
  try {
    return f(col);
  } finally {
    release(backend, col);
  }
}

/** y [n, oh, ow, cout] = conv(x, filter) (+ bias per output channel when given). */
export function convForward(backend: GemmBackend, x: Info, filter: Info, g: PatchGeometry, bias?: Info): Info {
  const cout = filter.shape[3];
  const y = backend.makeOutput([g.n, g.oh, g.ow, cout], 'float32');
  if (y.shape.some((d) => d === 0)) return y;
  withPatches(backend, x, g, (col) => {
    const k = depthOf(g);
    gemmOf(backend).run({
      m: rowsOf(g),
      n: cout,
      k,
      a: addressOf(backend, col),
      aRs: k,
      aCs: 1,
      b: addressOf(backend, filter),
      bRs: cout,
      bCs: 1,
      c: addressOf(backend, y),
      ldc: cout,
      bias: bias ? addressOf(backend, bias) : 0,
    });
  });
  return y;
}

/** dW [fh, fw, cin, cout] = colᵀ · dy. */
export function convFilterGradient(backend: GemmBackend, x: Info, dy: Info, g: PatchGeometry, cout: number): Info {
  const dw = backend.makeOutput([g.fh, g.fw, g.cin, cout], 'float32');
  withPatches(backend, x, g, (col) => {
    const depth = depthOf(g);
    gemmOf(backend).run({
      m: depth,
      n: cout,
      k: rowsOf(g),
      a: addressOf(backend, col),
      aRs: 1,
      aCs: depth,
      b: addressOf(backend, dy),
      bRs: cout,
      bCs: 1,
      c: addressOf(backend, dw),
      ldc: cout,
      bias: 0,
    });
  });
  return dw;
}

/** dx [n, h, w, cin] = col2im(dy · Wᵀ). */
export function convInputGradient(backend: GemmBackend, dy: Info, filter: Info, g: PatchGeometry): Info {
  const cout = filter.shape[3];
  const depth = depthOf(g);
  const dx = backend.makeOutput([g.n, g.h, g.w, g.cin], 'float32');
  const pointwise = isPointwise(g);
  const dcol = pointwise ? dx : backend.makeOutput([rowsOf(g), depth], 'float32');
  const gemm = gemmOf(backend);
  gemm.run({
    m: rowsOf(g),
    n: depth,
    k: cout,
    a: addressOf(backend, dy),
    aRs: cout,
    aCs: 1,
    b: addressOf(backend, filter),
    bRs: 1,
    bCs: cout,
    c: addressOf(backend, dcol),
    ldc: depth,
    bias: 0,
  });
  if (!pointwise) {
    gemm.col2im(addressOf(backend, dcol), g, addressOf(backend, dx));
    release(backend, dcol);
  }
  return dx;
}
