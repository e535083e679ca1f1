/**
 * Times the paper's Parzen protocol (parzen_ll.py sizes: 10,000 centres from G, σ chosen on 1,000
 * validation images over the 10-value grid, scored on 10,000 test images) on the best backend, with
 * random data of the right shape (the cost does not depend on the values). One BENCH_RESULT line.
 */
import { experiments, initBackend, logspace, parzenProtocol, Rng } from '../../lib/src';

async function main(): Promise<void> {
  const report = await initBackend();
  const rng = new Rng(7);
  const d = 784;
  const m = Number(process.env.TSGAN_BENCH_PARZEN_CENTRES ?? 10000);
  const nv = 1000;
  const nt = 10000;
  const make = (n: number) => rng.fillUniform(new Float32Array(n * d), 0, 1);
  const centres = make(m);
  const validation = make(nv);
  const test = make(nt);
  const t0 = performance.now();
  const { start, stop, num } = experiments.PAPER_MNIST_EXPERIMENT.parzen.sigmaGrid;
  const r = await parzenProtocol(centres, validation, test, { dim: d, grid: logspace(start, stop, num) });
  const seconds = (performance.now() - t0) / 1000;
  const flops = 2 * d * m * (nv + nt); // the distance products dominate
  console.log(
    'BENCH_RESULT ' +
      JSON.stringify({
        backend: report.backend,
        centres: m,
        validation: nv,
        test: nt,
        seconds,
        gflops: flops / seconds / 1e9,
        sigma: r.sigma,
      }),
  );
}

main().catch((e) => {
  console.log('BENCH_ERROR ' + JSON.stringify({ message: e instanceof Error ? e.message.split('\n')[0] : String(e) }));
  process.exit(1);
});
