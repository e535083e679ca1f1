/**
 * Small multiples: snapshots of one picture at fixed moments (e.g. G's samples at fixed training steps),
 * side by side in ONE PNG, each under its label, so that a reader of a static page sees the evolution
 * that a live view shows only while it runs. Labels are drawn with a built-in 3×5 pixel font (digits,
 * space, , . : - × and the letters of STEP, EPOCH, K and ITERATION), so no font is needed.
 */
import { PNG } from 'pngjs';

/** 3×5 glyphs, five rows of three bits each, most significant bit on the left. */
const GLYPHS: { [ch: string]: number[] } = {
  '0': [7, 5, 5, 5, 7],
  '1': [2, 6, 2, 2, 7],
  '2': [7, 1, 7, 4, 7],
  '3': [7, 1, 7, 1, 7],
  '4': [5, 5, 7, 1, 1],
  '5': [7, 4, 7, 1, 7],
  '6': [7, 4, 7, 5, 7],
  '7': [7, 1, 1, 1, 1],
  '8': [7, 5, 7, 5, 7],
  '9': [7, 5, 7, 1, 7],
  ' ': [0, 0, 0, 0, 0],
  ',': [0, 0, 0, 2, 4],
  '.': [0, 0, 0, 0, 2],
  ':': [0, 2, 0, 2, 0],
  '-': [0, 0, 7, 0, 0],
  '×': [0, 5, 2, 5, 0],
  '=': [0, 7, 0, 7, 0],
  S: [3, 4, 2, 1, 6],
  T: [7, 2, 2, 2, 2],
  E: [7, 4, 7, 4, 7],
  P: [7, 5, 7, 4, 4],
  O: [7, 5, 5, 5, 7],
  C: [7, 4, 4, 4, 7],
  H: [5, 5, 7, 5, 5],
  K: [5, 5, 6, 5, 5],
  I: [7, 2, 2, 2, 7],
  R: [6, 5, 6, 5, 5],
  A: [2, 5, 7, 5, 5],
  N: [5, 7, 7, 7, 5],
};

/** Width in PNG pixels of `text` drawn at `scale` (a glyph is 3 wide, with one column between glyphs). */
export function labelWidth(text: string, scale: number): number {
  return text.length === 0 ? 0 : (4 * text.length - 1) * scale;
}

export interface Frame {
  /** Drawn above the picture, in capitals (e.g. 'step 200'). */
  label: string;
  png: Buffer;
}

export interface FramesOptions {
  /** Frames per row (default: all in one row). */
  columns?: number;
  /** Pixels between frames and around them (default 8). */
  gap?: number;
  /** Size of a label pixel (default 3: labels 15 pixels high). */
  labelScale?: number;
}

/** The frames in a grid, row by row, each under its label, on white; every frame keeps its own size. */
export function framesPng(frames: readonly Frame[], options: FramesOptions = {}): Buffer {
  if (!Array.isArray(frames) || frames.length === 0) throw new Error('framesPng: give at least one frame');
  const columns = options.columns ?? frames.length;
  const gap = options.gap ?? 8;
  const scale = options.labelScale ?? 3;
  if (!Number.isInteger(columns) || columns < 1)
    throw new Error(`framesPng: columns must be a positive integer, got ${columns}`);
  if (!Number.isInteger(gap) || gap < 0) throw new Error(`framesPng: gap must be a non-negative integer, got ${gap}`);
  if (!Number.isInteger(scale) || scale < 1)
    throw new Error(`framesPng: labelScale must be a positive integer, got ${scale}`);
  const labels = frames.map((f) => f.label.toUpperCase());
  for (const l of labels) {
    const unknown = [...l].find((ch) => !(ch in GLYPHS));
    if (unknown !== undefined)
      throw new Error(`framesPng: the label font has no ${JSON.stringify(unknown)} (in ${JSON.stringify(l)})`);
  }
  const images = frames.map((f) => PNG.sync.read(f.png));
  const rows = Math.ceil(frames.length / columns);
  const labelHeight = 5 * scale + gap;
  const cellWidth = (i: number) => Math.max(images[i].width, labelWidth(labels[i], scale));
  const colWidths = Array.from({ length: columns }, (_, c) =>
    Math.max(0, ...images.map((_, i) => (i % columns === c ? cellWidth(i) : 0))),
  );
  const rowHeights = Array.from({ length: rows }, (_, r) =>
    Math.max(...images.filter((_, i) => Math.floor(i / columns) === r).map((im) => im.height + labelHeight)),
  );
  const width = colWidths.reduce((s, w) => s + w + gap, gap);
  const height = rowHeights.reduce((s, h) => s + h + gap, gap);
  const out = new PNG({ width, height });
  out.data.fill(255);
  const set = (x: number, y: number, rgba: ArrayLike<number>) => {
    const o = (y * width + x) * 4;
    for (let k = 0; k < 4; k++) out.data[o + k] = rgba[k];
  };
  images.forEach((im, i) => {
    const c = i % columns;
    const r = Math.floor(i / columns);
    const left = gap + colWidths.slice(0, c).reduce((s, w) => s + w + gap, 0);
    const top = gap + rowHeights.slice(0, r).reduce((s, h) => s + h + gap, 0);
    [...labels[i]].forEach((ch, g) => {
      GLYPHS[ch].forEach((bits, gy) => {
        for (let gx = 0; gx < 3; gx++) {
          if (!((bits >> (2 - gx)) & 1)) continue;
          for (let dy = 0; dy < scale; dy++)
            for (let dx = 0; dx < scale; dx++)
              set(left + (4 * g + gx) * scale + dx, top + gy * scale + dy, [0, 0, 0, 255]);
        }
      });
    });
    for (let y = 0; y < im.height; y++)
      for (let x = 0; x < im.width; x++) {
        const o = (y * im.width + x) * 4;
        set(left + x, top + labelHeight + y, im.data.subarray(o, o + 4));
      }
  });
  return PNG.sync.write(out);
}
