/** The two nets `npm run bench` times, layer by layer as the FLOP count sees them (lib/src/metrics/flops.ts). */
import { LayerMacs } from '../../lib/src';

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
