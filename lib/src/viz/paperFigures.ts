/**
 * The paper's Figures 2 and 3 for a trained G, as PNG buffers.
 * Figure 2: fair random samples, 4 rows × 5, plus (highlighted) the training image nearest in squared
 * pixel distance to each row's 5th sample: evidence that G does not just memorise the training set.
 * Figure 3: digits along straight lines in z space (the official code has no script for it).
 */
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { ImageSet } from '../data';
import { nearestNeighbours } from '../metrics';
import { Prior, Rng } from '../random';
import { generateImages } from '../models';
import { imageGridPng } from './png';

export interface Figure2 {
  png: Buffer;
  /** rows × samples images (row-major). */
  samples: Float32Array;
  /** Index in the training set of the image nearest to each row's last sample, and its squared distance. */
  nearest: Int32Array;
  distances: Float64Array;
}

export interface PaperFigureOptions {
  /** PNG pixels per image pixel (default 2). */
  scale?: number;
}

export async function figure2(
  generator: tf.LayersModel,
  prior: Prior,
  train: ImageSet,
  rng: Rng,
  options: PaperFigureOptions & { rows: number; samples: number },
): Promise<Figure2> {
  const { rows, samples: cols } = options; // the experiment's figures.figure2 (the paper's: 4 rows × 5)
  const d = train.rows * train.cols;
  const samples = generateImages(generator, prior.sampleArray(rows * cols, rng), prior.dim);
  const last = new Float32Array(rows * d);
  for (let r = 0; r < rows; r++) last.set(samples.subarray((r * cols + cols - 1) * d, (r * cols + cols) * d), r * d);
  const nn = await nearestNeighbours(last, train.images, { dim: d });
  const grid = new Float32Array(rows * (cols + 1) * d);
  for (let r = 0; r < rows; r++) {
    grid.set(samples.subarray(r * cols * d, (r + 1) * cols * d), r * (cols + 1) * d);
    const i = nn.indices[r];
    grid.set(train.images.subarray(i * d, (i + 1) * d), (r * (cols + 1) + cols) * d);
  }
  const scale = options.scale ?? 2;
  const padding = 2;
  const png = imageGridPng(grid, {
    rows,
    cols: cols + 1,
    imageRows: train.rows,
    imageCols: train.cols,
    scale,
    padding,
  });
  const framed = frameColumn(png, cols, {
    rows,
    cols: cols + 1,
    cellWidth: train.cols * scale,
    cellHeight: train.rows * scale,
    padding,
  });
  return { png: framed, samples, nearest: nn.indices, distances: nn.distances };
}

export interface Figure3 {
  png: Buffer;
  /** rows × steps images. */
  images: Float32Array;
}

/** Each row: G((1 − t)·z_a + t·z_b) for t = 0, 1/(steps−1), …, 1, with z_a, z_b drawn from the prior. */
export function figure3(
  generator: tf.LayersModel,
  prior: Prior,
  rng: Rng,
  options: PaperFigureOptions & { rows: number; steps: number },
): Figure3 {
  const { rows, steps } = options; // the experiment's figures.figure3 (the paper's: 6 rows of 11)
  if (!Number.isInteger(steps) || steps < 2)
    throw new Error(`figure3: steps must be an integer ≥ 2 (the two ends included), got ${steps}`);
  const dim = prior.dim;
  const ends = prior.sampleArray(2 * rows, rng);
  const z = new Float32Array(rows * steps * dim);
  for (let r = 0; r < rows; r++) {
    for (let s = 0; s < steps; s++) {
      const t = s / (steps - 1);
      for (let i = 0; i < dim; i++)
        z[(r * steps + s) * dim + i] = (1 - t) * ends[2 * r * dim + i] + t * ends[(2 * r + 1) * dim + i];
    }
  }
  const images = generateImages(generator, z, dim);
  const side = Math.round(Math.sqrt(images.length / (rows * steps)));
  const png = imageGridPng(images, {
    rows,
    cols: steps,
    imageRows: side,
    imageCols: side,
    scale: options.scale ?? 2,
    padding: 2,
  });
  return { png, images };
}

/** Paints the padding around every cell of column `col` yellow, as the paper highlights its nearest neighbours. */
function frameColumn(
  png: Buffer,
  col: number,
  g: { rows: number; cols: number; cellWidth: number; cellHeight: number; padding: number },
): Buffer {
  const img = PNG.sync.read(png);
  const x0 = col * (g.cellWidth + g.padding);
  const x1 = x0 + g.cellWidth + 2 * g.padding; // exclusive
  for (let r = 0; r < g.rows; r++) {
    const y0 = r * (g.cellHeight + g.padding);
    const y1 = y0 + g.cellHeight + 2 * g.padding;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const inside = x >= x0 + g.padding && x < x1 - g.padding && y >= y0 + g.padding && y < y1 - g.padding;
        if (inside) continue;
        const o = (y * img.width + x) * 4;
        img.data[o] = 255;
        img.data[o + 1] = 200;
        img.data[o + 2] = 0;
        img.data[o + 3] = 255;
      }
    }
  }
  return PNG.sync.write(img);
}
