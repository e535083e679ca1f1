/**
 * PNG grids of grayscale images (digits, samples of G) made with pngjs, for notebooks (showPng), the live
 * training view and files written by the CLI (writePng).
 */
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { writeFileAtomic } from '../host/atomicFile';
import { newOutputArea } from './display';

export interface ImageGridOptions {
  rows: number;
  cols: number;
  /** Height of one image in pixels (default 28, MNIST). */
  imageRows?: number;
  /** Width of one image in pixels (default 28). */
  imageCols?: number;
  /** Each image pixel becomes scale×scale PNG pixels (default 1). */
  scale?: number;
  /** PNG pixels between images and around the grid (default 1). */
  padding?: number;
  /** Gray level of the padding in [0,1] (default 0.5, so black and white digits both stand out). */
  padValue?: number;
  /** Values mapped to black and white (default [0, 1]; use [-1, 1] for tanh generators). Outside: clamped. */
  range?: [number, number];
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new Error(`imageGridPng: ${name} must be a positive integer, got ${v}.`);
  return v;
}

/** Size in pixels of the PNG that imageGridPng makes for these options. */
export function imageGridSize(options: ImageGridOptions): { width: number; height: number } {
  const { rows, cols, imageRows = 28, imageCols = 28, scale = 1, padding = 1 } = options;
  return {
    width: cols * imageCols * scale + (cols + 1) * padding,
    height: rows * imageRows * scale + (rows + 1) * padding,
  };
}

/**
 * A PNG of rows×cols grayscale images laid out row by row. `images` holds rows·cols·imageRows·imageCols
 * values (row-major, image after image), as a Float32Array / number array or a tensor of that many values
 * (e.g. [N, 784] or [N, 28, 28, 1]); a tensor is read, not disposed.
 */
export function imageGridPng(images: Float32Array | ArrayLike<number> | tf.Tensor, options: ImageGridOptions): Buffer {
  if (!options || typeof options !== 'object') throw new Error('imageGridPng: options { rows, cols } are required.');
  const rows = positiveInt('rows', options.rows);
  const cols = positiveInt('cols', options.cols);
  const imageRows = positiveInt('imageRows', options.imageRows ?? 28);
  const imageCols = positiveInt('imageCols', options.imageCols ?? 28);
  const scale = positiveInt('scale', options.scale ?? 1);
  const padding = options.padding ?? 1;
  if (!Number.isInteger(padding) || padding < 0)
    throw new Error(`imageGridPng: padding must be a non-negative integer, got ${padding}.`);
  const [lo, hi] = options.range ?? [0, 1];
  if (!(hi > lo)) throw new Error(`imageGridPng: range must be [low, high] with high > low, got [${lo}, ${hi}].`);
  const padValue = options.padValue ?? 0.5;

  let values: ArrayLike<number>;
  let described: string;
  if (images instanceof tf.Tensor) {
    values = images.dataSync();
    described = `a tensor of shape [${images.shape.join(', ')}] (${images.size} values)`;
  } else if (images && typeof (images as ArrayLike<number>).length === 'number') {
    values = images as ArrayLike<number>;
    described = `${values.length} values`;
  } else {
    throw new Error('imageGridPng: images must be a Float32Array, a number array or a tf.Tensor.');
  }
  const perImage = imageRows * imageCols;
  const expected = rows * cols * perImage;
  if (values.length !== expected) {
    const have = values.length % perImage === 0 ? ` = ${values.length / perImage} images` : '';
    throw new Error(
      `imageGridPng: got ${described}${have}, but rows×cols×imageRows×imageCols = ${rows}×${cols}×${imageRows}×${imageCols} = ${expected}. ` +
        `Pass exactly rows·cols images (e.g. slice the batch) or change rows/cols/imageRows/imageCols.`,
    );
  }

  const { width, height } = imageGridSize({ rows, cols, imageRows, imageCols, scale, padding });
  const png = new PNG({ width, height, colorType: 0, inputColorType: 6, inputHasAlpha: true });
  const data = png.data; // RGBA; written as 8-bit grayscale
  const pad = Math.round(Math.min(1, Math.max(0, padValue)) * 255);
  data.fill(pad);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  const span = hi - lo;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const base = (r * cols + c) * perImage;
      const top = padding + r * (imageRows * scale + padding);
      const left = padding + c * (imageCols * scale + padding);
      for (let y = 0; y < imageRows; y++) {
        for (let x = 0; x < imageCols; x++) {
          const v = (Number(values[base + y * imageCols + x]) - lo) / span;
          const g = Number.isNaN(v) ? 0 : Math.round(Math.min(1, Math.max(0, v)) * 255);
          for (let dy = 0; dy < scale; dy++) {
            let o = ((top + y * scale + dy) * width + left + x * scale) * 4;
            for (let dx = 0; dx < scale; dx++, o += 4) {
              data[o] = g;
              data[o + 1] = g;
              data[o + 2] = g;
            }
          }
        }
      }
    }
  }
  return PNG.sync.write(png, { colorType: 0, inputColorType: 6, inputHasAlpha: true });
}

/** Width and height of a PNG, read from its IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (
    !Buffer.isBuffer(png) ||
    png.length < 24 ||
    png.readUInt32BE(0) !== 0x89504e47 ||
    png.toString('ascii', 12, 16) !== 'IHDR'
  ) {
    throw new Error('pngSize: expected a PNG Buffer (e.g. from imageGridPng).');
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** A data: URI of a PNG, for <img src=…> in HTML outputs. */
export function pngDataUri(png: Buffer): string {
  return `data:image/png;base64,${png.toString('base64')}`;
}

/** Shows a PNG in the notebook (no-op in plain node). */
export function showPng(png: Buffer): void {
  if (!Buffer.isBuffer(png) || png.length < 8 || png.readUInt32BE(0) !== 0x89504e47) {
    throw new Error('showPng: expected a PNG Buffer (e.g. from imageGridPng).');
  }
  newOutputArea().png(png);
}

/** imageGridPng + showPng in one call (keep the PNG with imageGridPng if you also want to write it to a file). */
export function showImageGrid(images: Float32Array | ArrayLike<number> | tf.Tensor, options: ImageGridOptions): void {
  showPng(imageGridPng(images, options));
}

/** Writes a PNG file atomically (host/atomicFile.ts: a crash or a reader never sees half a PNG), creating its folder if needed. */
export function writePng(file: string, png: Buffer): void {
  if (!Buffer.isBuffer(png)) throw new Error(`writePng: expected a Buffer for ${file}.`);
  writeFileAtomic(file, png);
}
