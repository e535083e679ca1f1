/**
 * Does what tslab does with a cell (see train/interrupt.ts): a SIGINT listener of its own that ends the
 * cell, the cell's synchronous part under vm's breakOnSigint, then a race of the cell's promise against
 * the interrupt. The cell awaits 1.5 s (a model being loaded) and then trains a toy GAN for many steps;
 * the parent sends SIGINT during that await. Prints one JSON line per cell: {stoppedBy, finalStep}.
 */
import * as vm from 'vm';
import * as gan from '../src';
import { toyGan } from './toy-gan';

let endCell: (e: Error) => void = () => {};
process.on('SIGINT', () => endCell(new Error('Interrupted asynchronously')));
(globalThis as { [k: string]: unknown }).__cell = async (waitMs: number, steps: number) => {
  await new Promise((r) => setTimeout(r, waitMs));
  const h = await gan.trainGan({ ...toyGan(3), steps, batchSize: 16 });
  process.stdout.write(JSON.stringify({ stoppedBy: h.stoppedBy, finalStep: h.finalStep }) + '\n');
};

async function cell(code: string): Promise<void> {
  const interrupted = new Promise((_, reject) => (endCell = reject));
  interrupted.catch(() => {});
  const p = vm.runInThisContext(code, { breakOnSigint: true }) as Promise<void>;
  await Promise.race([p, interrupted]).catch((e: Error) => process.stdout.write(`cell: ${e.message}\n`));
  await p; // the background training of an interrupted cell, to see where it ends
}

void (async () => {
  await gan.initBackend({ backend: 'cpu' });
  await new Promise((r) => setImmediate(r));
  process.stdout.write('ready\n');
  await cell('__cell(1500, 3000)'); // interrupted while it awaits, before training starts
  await cell('__cell(0, 5)'); // a later cell trains normally
})();
