/**
 * Analytic FLOPs of one GAN training iteration (D step, then G step), counting multiply-adds of dense
 * and convolution layers as 2 FLOPs (activations, batch norm and the optimiser are left out: they are a
 * few percent). Backward: weight gradients for the player being updated; input gradients wherever the
 * chain rule needs them (not into a network's own input unless it depends on the updated variables).
 * The arithmetic of a step does not depend on the machine, unlike its time (`npm run bench` measures that).
 */
import * as tf from '@tensorflow/tfjs';

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

/**
 * The multiply-adds per sample of a model's Dense, Maxout (a dense layer to units × pieces), Conv2D and
 * Conv2DTranspose layers, read from their kernels' shapes (other layers are not counted).
 */
export function netOf(model: tf.LayersModel): Net {
  const layers: LayerMacs[] = [];
  for (const l of model.layers) {
    // a variable's name gets a suffix (kernel_1) when another model of the process used the same one
    const kernel = l.weights.find((w) => /(^|\/)kernel(_\d+)?$/.test(w.name))?.shape as number[] | undefined;
    if (!kernel) continue;
    const size = kernel.reduce((a, b) => a * b, 1);
    const kind = l.getClassName();
    if (kind === 'Dense' || kind === 'Maxout') layers.push({ name: l.name, macs: size });
    else if (kind === 'Conv2D') {
      const out = l.outputShape as number[]; // [batch, height, width, channels]: kernel × every output pixel
      layers.push({ name: l.name, macs: out[1] * out[2] * size });
    } else if (kind === 'Conv2DTranspose') {
      const input = (l.input as tf.SymbolicTensor).shape as number[]; // every input pixel scatters the whole kernel
      layers.push({ name: l.name, macs: input[1] * input[2] * size });
    }
  }
  return { layers };
}
