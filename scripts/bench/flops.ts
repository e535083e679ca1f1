/**
 * Analytic FLOPs of one GAN training iteration (D step, then G step), counting multiply-adds of dense
 * and convolution layers as 2 FLOPs (activations, batch norm and the optimiser are left out: they are a
 * few percent). Backward: weight gradients for the player being updated; input gradients wherever the
 * chain rule needs them (not into a network's own input unless it depends on the updated variables).
 */
export interface LayerMacs {
  name: string;
  /** Multiply-adds per sample in the forward pass. */
  macs: number;
}

export interface Net {
  layers: LayerMacs[];
}

const sum = (ls: LayerMacs[]) => ls.reduce((s, l) => s + l.macs, 0);

export function iterationFlops(g: Net, d: Net, batch: number): { dStep: number; gStep: number; total: number } {
  const gF = sum(g.layers);
  const dF = sum(d.layers);
  const dNotFirst = sum(d.layers.slice(1));
  const gNotFirst = sum(g.layers.slice(1));
  // D step: G(z) without tape; D on real and fake batches; D's weight grads; input grads except D's first layer.
  const dStep = batch * gF + 2 * batch * (dF + dF + dNotFirst);
  // G step: G and D forward; D input grads through all layers (D frozen); G weight grads and input grads but the first.
  const gStep = batch * (gF + dF + dF + gF + gNotFirst);
  return { dStep: 2 * dStep, gStep: 2 * gStep, total: 2 * (dStep + gStep) };
}

/**
 * The paper code's simultaneous update (simultaneousStep): Algorithm 1's iteration with G(z) made once for
 * both players; with sharedForward, G's gradient also reuses D's pass on G(z) and its backward, so of G's
 * second pass through D only the input gradient of D's first layer remains.
 */
export function simultaneousFlops(g: Net, d: Net, batch: number, sharedForward: boolean): number {
  const twoPasses = iterationFlops(g, d, batch).total - 2 * batch * sum(g.layers);
  return sharedForward ? twoPasses - 2 * batch * (2 * sum(d.layers) - d.layers[0].macs) : twoPasses;
}

const dense = (name: string, i: number, o: number): LayerMacs => ({ name, macs: i * o });
/** Conv (or the transposed conv with the same geometry): output pixels × k² × Cin × Cout. */
const conv = (name: string, outPixels: number, k: number, cin: number, cout: number): LayerMacs => ({
  name,
  macs: outPixels * k * k * cin * cout,
});

/** PAPER.md: G 100 → 1200 → 1200 → 784; D maxout 240×5, 240×5 → 1 (maxout = dense to units·pieces). */
export const paperNets = {
  g: { layers: [dense('g1', 100, 1200), dense('g2', 1200, 1200), dense('g3', 1200, 784)] },
  d: { layers: [dense('d1', 784, 1200), dense('d2', 240, 1200), dense('d3', 240, 1)] },
};

/** NOTES.md DCGAN: G z100 → 7·7·128 → ConvT 64 → ConvT 1; D Conv 64 → Conv 128 → Dense 1. */
export const dcganNets = {
  g: { layers: [dense('project', 100, 7 * 7 * 128), conv('up1', 7 * 7, 4, 64, 128), conv('up2', 14 * 14, 4, 1, 64)] },
  d: { layers: [conv('conv1', 14 * 14, 4, 1, 64), conv('conv2', 7 * 7, 4, 64, 128), dense('y', 7 * 7 * 128, 1)] },
};
