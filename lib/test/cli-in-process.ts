/** `tsgan` run in the test's own process, its output captured (not process.stdout: the test reporter writes there). */
import { main } from '../src/cli/main';

export async function inProcess(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

/** A seconds-long `tsgan train` of the small MLP GAN (128 images, batch 32, no validation): add --out and --epochs. */
export const TINY_MLP_TRAIN = [
  'train',
  '--experiment',
  'mlp-mnist',
  '--train-count',
  '128',
  '--batch-size',
  '32',
  '--validate-every',
  '0',
];
