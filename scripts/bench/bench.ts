/**
 * `npm run bench`: time one GAN training iteration (D step, then G step) of the paper's MNIST GAN and of
 * the DCGAN on every available tfjs backend, beside PyTorch when a python3 with torch is found.
 * Each configuration runs in its own process (scripts/bench/worker.ts, torch_gan.py). Writes
 * build/bench/bench-<time>.json and build/bench/latest.json; prints a table last.
 *
 * Options: scripts/bench/options.ts (BENCH_USAGE, `npm run bench -- --help`); an unknown flag is an error.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { availableBackends } from '../../lib/src';
import { UsageError } from '../../lib/src/cli/usage';
import { flopsPerIteration } from './ganIteration';
import { BENCH_USAGE, BenchModelName, BenchOptions, parseBenchArgs } from './options';

const root = path.resolve(__dirname, '..', '..');

function readOptions(): BenchOptions {
  try {
    return parseBenchArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`npm run bench: ${e.message}\n\n${e.usage}`);
    process.exit(2);
  }
}

const opts = readOptions();
if (opts.help) {
  console.log(BENCH_USAGE);
  process.exit(0);
}
const { iters, warmup, warmupSeconds, cpuIters, rounds, models } = opts;

interface Plan {
  b: string;
  n: number;
  note?: string;
  /** Slow configurations run in the first round only. */
  slow?: boolean;
  skip?: string;
  runOnce?: () => Record<string, unknown> | { error: string };
  /** One result per round run. */
  results: Array<Record<string, unknown> | { error: string }>;
}

interface Row {
  model: BenchModelName;
  backend: string;
  variant: string;
  batch?: number;
  timesMs?: number[];
  /** Median of each round, when the configuration ran in several rounds. */
  roundMediansMs?: number[];
  medianMs?: number;
  minMs?: number;
  maxMs?: number;
  gflops?: number;
  flopsPerIter: number;
  tensorsLeakedPerIter?: number;
  buffersLeakedPerIter?: number | null;
  ratioToPytorch?: number;
  note?: string;
}

const MODEL_LABELS: Record<BenchModelName, string> = {
  paper: 'paper MNIST GAN',
  dcgan: 'DCGAN',
  'paper-simultaneous': 'paper GAN, simultaneous update, two D passes',
  'paper-shared': 'paper GAN, simultaneous update, shared D pass',
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function parseResult(stdout: string): Record<string, unknown> | { error: string } {
  const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT ') || l.startsWith('BENCH_ERROR '));
  if (!line) return { error: 'no result line' };
  if (line.startsWith('BENCH_ERROR ')) return { error: (JSON.parse(line.slice(12)) as { message: string }).message };
  return JSON.parse(line.slice(13)) as Record<string, unknown>;
}

function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(cmd, args, { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status };
}

/** One table row from a configuration's rounds: iterations pooled, plus each round's median. */
function toRow(
  model: BenchModelName,
  backend: string,
  results: Array<Record<string, unknown> | { error: string }>,
  note?: string,
): Row {
  const flops = flopsPerIteration(model);
  const failed = results.find((r): r is { error: string } => 'error' in r);
  if (failed)
    return {
      model,
      backend,
      variant: '',
      flopsPerIter: flops,
      note: `${note ? note + '; ' : ''}failed: ${failed.error}`,
    };
  const ok = results as Array<Record<string, unknown>>;
  const rounds = ok.map((r) => r.timesMs as number[]);
  const times = rounds.flat();
  const med = median(times);
  // the round furthest from zero, sign kept (a negative count means tensors were freed per iteration)
  const worst = (key: string) =>
    ok.map((r) => (r[key] as number | null | undefined) ?? 0).reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a));
  return {
    model,
    backend,
    variant: String(ok[0].variant ?? ''),
    batch: ok[0].batch as number,
    timesMs: times,
    roundMediansMs: rounds.length > 1 ? rounds.map(median) : undefined,
    medianMs: med,
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
    gflops: flops / med / 1e6,
    flopsPerIter: flops,
    tensorsLeakedPerIter: ok[0].tensorsLeakedPerIter === undefined ? undefined : worst('tensorsLeakedPerIter'),
    buffersLeakedPerIter:
      ok[0].buffersLeakedPerIter == null
        ? (ok[0].buffersLeakedPerIter as null | undefined)
        : worst('buffersLeakedPerIter'),
    note,
  };
}

function findTorchPython(): string | null {
  if (!opts.torch) return null;
  const candidates = opts.python !== undefined ? [opts.python] : ['/usr/bin/python3', 'python3'];
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return null;
}

async function main(): Promise<void> {
  const started = new Date();
  const load0 = os.loadavg();
  const available = await availableBackends();
  const wanted: string[] = opts.backends ?? [
    ...available.filter((b) => b !== 'cpu'),
    ...(available.includes('wasm') ? ['wasm-1t', 'wasm-shipped'] : []),
    'cpu',
  ];
  const python = findTorchPython();
  const rows: Row[] = [];
  const log = (s: string) => process.stderr.write(s + '\n');
  log(
    `bench: ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, load ${load0.map((l) => l.toFixed(1)).join(' ')}; backends ${wanted.join(', ')}${python ? `; PyTorch via ${python}` : '; no PyTorch'}`,
  );

  // The host's speed drifts in phases of seconds (a fixed JS loop measured 20 ms, then 35 ms for a while,
  // on an idle machine), so the fast configurations run in alternating rounds and pool their iterations:
  // a slow phase then hits PyTorch and tfjs alike instead of deciding their ratio.
  const torchRun = (model: BenchModelName) => {
    const r = run(
      python!,
      [path.join(__dirname, 'torch_gan.py'), JSON.stringify({ model, iters, warmup, warmupSeconds, threads: 2 })],
      { OMP_WAIT_POLICY: 'PASSIVE' },
    );
    return r.status === 0 ? parseResult(r.stdout) : { error: r.stderr.trim().split('\n').pop() ?? 'failed' };
  };
  for (const model of models) {
    const plans: Plan[] = [];
    // torch_gan.py has Algorithm 1's iteration of the two GANs only
    if (python && (model === 'paper' || model === 'dcgan'))
      plans.push({ b: 'pytorch', n: iters, runOnce: () => torchRun(model), results: [] });
    for (const b of wanted) {
      const backend = b === 'wasm-shipped' || b === 'wasm-1t' ? 'wasm' : b;
      if (!available.includes(backend as never)) {
        plans.push({ b, n: 0, skip: 'not available here', results: [] });
        continue;
      }
      let n = iters;
      let w = warmup;
      let ws = warmupSeconds;
      let note: string | undefined;
      let slow = false;
      if (backend === 'cpu') {
        if (model === 'dcgan' && !opts.cpuDcgan) {
          plans.push({ b, n: 0, skip: 'skipped: ≈ 250 s per iteration here (--cpu-dcgan to run)', results: [] });
          continue;
        }
        n = model === 'dcgan' ? Math.min(cpuIters, 2) : cpuIters;
        w = 1;
        ws = 0;
        note = `only ${n} iterations (slow backend)`;
        slow = true;
      }
      if (b === 'wasm-shipped') {
        n = Math.min(iters, 10);
        ws = 0; // ≈ 1 s per iteration: the minimum warm-up is enough to see it is 10× slower
        note = n < iters ? `${n} iterations` : undefined;
        slow = true;
      }
      const config = JSON.stringify({ model, backend, iters: n, warmup: w, warmupSeconds: ws });
      const env = {
        TSGAN_WASM_KERNELS: b === 'wasm-shipped' ? '0' : '1',
        // wasm: threads on even when the machine is busy (auto would fall back to one), unless set by the caller
        TSGAN_WASM_THREADS: b === 'wasm-1t' || b === 'wasm-shipped' ? '0' : (process.env.TSGAN_WASM_THREADS ?? 'on'),
      };
      plans.push({
        b,
        n,
        note,
        slow,
        runOnce: () =>
          parseResult(
            run(process.execPath, ['--import', 'tsx', path.join(__dirname, 'worker.ts'), config], env).stdout,
          ),
        results: [],
      });
    }
    for (let round = 1; round <= rounds; round++) {
      for (const p of plans) {
        if (!p.runOnce || (p.slow && round > 1)) continue;
        log(`  ${model} on ${p.b} (${p.n} iterations${p.slow ? '' : `, round ${round} of ${rounds}`}) …`);
        p.results.push(p.runOnce());
      }
    }
    for (const p of plans) {
      rows.push(
        p.skip
          ? { model, backend: p.b, variant: '', flopsPerIter: flopsPerIteration(model), note: p.skip }
          : toRow(model, p.b, p.results, p.note),
      );
    }
  }
  for (const row of rows) {
    const torch = rows.find((r) => r.model === row.model && r.backend === 'pytorch' && r.medianMs);
    if (torch && row.medianMs && row.backend !== 'pytorch') row.ratioToPytorch = row.medianMs / torch.medianMs!;
  }

  const extras: Record<string, unknown> = {};
  if (opts.parzen) {
    log('  Parzen protocol …');
    const r = run(process.execPath, ['--import', 'tsx', path.join(__dirname, 'parzen.ts')], {});
    extras.parzen = parseResult(r.stdout);
  }
  if (opts.notebooks) {
    log('  notebooks (TSGAN_QUICK=1 npm run notebooks) …');
    const t0 = performance.now();
    const r = run('npm', ['run', 'notebooks'], { TSGAN_QUICK: '1' });
    const summary =
      (r.stdout + r.stderr)
        .split('\n')
        .filter((l) => /passed|failed/.test(l))
        .pop() ?? '';
    extras.notebooks = { seconds: (performance.now() - t0) / 1000, exitCode: r.status, summary };
  }

  const load1 = os.loadavg();
  const out = {
    started: started.toISOString(),
    machine: {
      cpu: os.cpus()[0]?.model,
      cores: os.cpus().length,
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      loadavgStart: load0,
      loadavgEnd: load1,
    },
    settings: { iters, rounds, warmup, warmupSeconds, cpuIters },
    rows,
    ...extras,
  };
  const dir = path.join(root, 'build', 'bench');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify(out, null, 2));
  fs.writeFileSync(path.join(dir, 'latest.json'), JSON.stringify(out, null, 2));

  const fmt = (v: number | undefined, d = 0) =>
    v === undefined ? '' : v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  const table = [
    [
      'model',
      'backend',
      'variant',
      'iters',
      'median ms',
      'min ms',
      'max ms',
      'GFLOP/s',
      '× PyTorch',
      'leaks/iter',
      'note',
    ],
    ...rows.map((r) => [
      `${MODEL_LABELS[r.model]} (${fmt(r.flopsPerIter / 1e9, 2)} GFLOP)`,
      r.backend,
      r.variant,
      r.timesMs
        ? r.roundMediansMs
          ? `${r.roundMediansMs.length}×${r.timesMs.length / r.roundMediansMs.length}`
          : String(r.timesMs.length)
        : '',
      fmt(r.medianMs),
      fmt(r.minMs),
      fmt(r.maxMs),
      fmt(r.gflops, 2),
      r.ratioToPytorch === undefined ? '' : `${fmt(r.ratioToPytorch, r.ratioToPytorch < 10 ? 2 : 1)}×`,
      r.tensorsLeakedPerIter === undefined
        ? ''
        : `${r.tensorsLeakedPerIter} tensors${r.buffersLeakedPerIter != null ? `, ${r.buffersLeakedPerIter} buffers` : ''}`,
      [r.roundMediansMs ? `round medians ${r.roundMediansMs.map((m) => fmt(m)).join(' / ')} ms` : '', r.note ?? '']
        .filter(Boolean)
        .join('; '),
    ]),
  ];
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  const line = (row: string[]) => '| ' + row.map((cell, c) => cell.padEnd(widths[c])).join(' | ') + ' |';
  console.log(
    `\nOne training iteration = D step + G step (the simultaneous update: both from one batch). ${out.machine.cpu} × ${out.machine.cores}, Node ${process.version}; load average ${load0[0].toFixed(1)} at start, ${load1[0].toFixed(1)} at end (timings are noisy when other work runs).`,
  );
  if (extras.parzen) console.log(`Parzen protocol: ${JSON.stringify(extras.parzen)}`);
  if (extras.notebooks) console.log(`Notebooks (quick mode): ${JSON.stringify(extras.notebooks)}`);
  console.log(`JSON: ${path.relative(root, file)}\n`);
  console.log(line(table[0]));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const row of table.slice(1)) console.log(line(row));
  const leaky = rows.filter((r) => (r.tensorsLeakedPerIter ?? 0) !== 0 || (r.buffersLeakedPerIter ?? 0) !== 0);
  if (leaky.length) {
    console.log(`\nLEAK: ${leaky.map((r) => `${r.model}/${r.backend}`).join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
