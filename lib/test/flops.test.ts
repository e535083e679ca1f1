/** FLOPs counted from a model's layers (metrics/flops.ts), against the multiply-adds written out by hand. */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Rng,
  dcganDiscriminator,
  dcganGenerator,
  initBackend,
  iterationFlops,
  netOf,
  paperMnistDiscriminator,
  paperMnistGenerator,
} from '../src';

before(async () => {
  await initBackend();
});

const macs = (m: Parameters<typeof netOf>[0]) => netOf(m).layers.map((l) => l.macs);

test('netOf reads the multiply-adds of dense, maxout, conv and transposed-conv layers from their shapes', () => {
  const g = dcganGenerator({ seed: 1, latentDim: 100 });
  const d = dcganDiscriminator({ seed: 2 });
  // z 100 → 7·7·128; ConvT 4×4: each of 7·7 input pixels scatters 128 → 64 channels; then 14·14 pixels 64 → 1
  assert.deepEqual(macs(g), [100 * 7 * 7 * 128, 7 * 7 * 16 * 128 * 64, 14 * 14 * 16 * 64 * 1]);
  // Conv 4×4 stride 2: 14·14 output pixels 1 → 64, then 7·7 pixels 64 → 128; the logit from 7·7·128
  assert.deepEqual(macs(d), [14 * 14 * 16 * 1 * 64, 7 * 7 * 16 * 64 * 128, 7 * 7 * 128]);
  // the paper's nets, built twice in one process (their variables then get suffixed names: kernel_1)
  for (let i = 0; i < 2; i++) {
    assert.deepEqual(macs(paperMnistGenerator({ seed: 1 })), [100 * 1200, 1200 * 1200, 1200 * 784]);
    assert.deepEqual(macs(paperMnistDiscriminator({ seed: 1, dropoutRng: new Rng(1) })), [784 * 1200, 240 * 1200, 240]);
  }
  // one DCGAN iteration at batch 64: D step (G forward, D on both batches, D's backward) + G step
  const total = iterationFlops(netOf(g), netOf(d), 64).total;
  const [gF, dF, dRest] = [
    7 * 7 * 128 * 100 + 7 * 7 * 16 * 128 * 64 + 14 * 14 * 16 * 64,
    14 * 14 * 16 * 64 + 7 * 7 * 16 * 64 * 128 + 7 * 7 * 128,
    7 * 7 * 16 * 64 * 128 + 7 * 7 * 128,
  ];
  const gRest = 7 * 7 * 16 * 128 * 64 + 14 * 14 * 16 * 64;
  assert.equal(total, 2 * 64 * (gF + 2 * (2 * dF + dRest)) + 2 * 64 * (2 * gF + 2 * dF + gRest));
});
