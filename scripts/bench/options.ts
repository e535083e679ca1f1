/**
 * The command line of `npm run bench`, parsed by the CLI's parseFlags (lib/src/cli/args.ts): an unknown
 * flag or a bad value is an error that names it (a typo such as --iter 50 once ran the default 20
 * silently), and `--help` prints BENCH_USAGE.
 */
import { intFlag, parseFlags, stringFlag } from '../../lib/src/cli/args';
import { UsageError } from '../../lib/src/cli/usage';

export const BENCH_MODELS = ['paper', 'dcgan', 'paper-simultaneous', 'paper-shared'] as const;
/** What runs without --models: Algorithm 1's iteration of both GANs (PyTorch has these two). */
export const DEFAULT_BENCH_MODELS: readonly BenchModelName[] = ['paper', 'dcgan'];
export type BenchModelName = (typeof BENCH_MODELS)[number];
export const BENCH_BACKENDS = ['tensorflow', 'wasm', 'wasm-1t', 'wasm-shipped', 'cpu'] as const;
export type BenchBackend = (typeof BENCH_BACKENDS)[number];

export const BENCH_USAGE = `Usage: npm run bench -- [options]

Times one GAN training iteration (D step, then G step) of the paper's MNIST GAN and of the DCGAN on
every available tfjs backend, beside PyTorch when a python3 with torch is found; paper-simultaneous and
paper-shared time the paper code's simultaneous update (what tsgan train runs), with G's loss from a
second pass of D or from D's own pass (--shared-forward).

Options:
  --iters N            timed iterations per configuration and round (default 20) after warm-up: at least
                       --warmup N iterations (default 3) and until --warmup-seconds S have passed (default 3;
                       tfjs settles after ≈ 30 paper GAN iterations here: JIT tiers, heap growth); same for PyTorch
  --rounds N           run PyTorch and the fast tfjs configurations N times, alternating, and pool their
                       iterations (default 3); wasm as shipped and cpu run once
  --models a,b         ${BENCH_MODELS.join(', ')} (default ${DEFAULT_BENCH_MODELS.join(',')})
  --backends a,b       ${BENCH_BACKENDS.join(', ')} (default: all that load here);
                       wasm = tsgan kernels, threads on (or TSGAN_WASM_THREADS), wasm-1t = tsgan kernels, 1 thread
  --cpu-iters N        iterations on the cpu backend (default 3: ≈ 6 s each for the paper GAN)
  --cpu-dcgan          also time the DCGAN on cpu (≈ 250 s per iteration here; skipped by default)
  --no-torch           skip PyTorch
  --python PATH        the python3 to use (default /usr/bin/python3, then python3)
  --parzen             also time the paper's Parzen protocol (10,000 centres, 1,000 + 10,000 points)
  --notebooks          also time \`npm run notebooks\` in quick mode (TSGAN_QUICK=1)
  -h, --help           this help`;

export interface BenchOptions {
  help: boolean;
  iters: number;
  warmup: number;
  warmupSeconds: number;
  rounds: number;
  cpuIters: number;
  models: BenchModelName[];
  /** undefined: every backend that loads here. */
  backends?: BenchBackend[];
  cpuDcgan: boolean;
  torch: boolean;
  /** undefined: /usr/bin/python3, then python3. */
  python?: string;
  parzen: boolean;
  notebooks: boolean;
}

/** Parses bench's arguments (process.argv.slice(2)); throws a UsageError naming what was wrong. */
export function parseBenchArgs(argv: string[]): BenchOptions {
  const p = parseFlags(
    argv,
    {
      iters: { type: 'string' },
      warmup: { type: 'string' },
      'warmup-seconds': { type: 'string' },
      rounds: { type: 'string' },
      'cpu-iters': { type: 'string' },
      models: { type: 'string' },
      backends: { type: 'string' },
      'cpu-dcgan': { type: 'boolean' },
      'no-torch': { type: 'boolean' },
      python: { type: 'string' },
      parzen: { type: 'boolean' },
      notebooks: { type: 'boolean' },
    },
    BENCH_USAGE,
  );
  const seconds = stringFlag(p, 'warmup-seconds');
  const warmupSeconds = seconds === undefined ? 3 : Number(seconds);
  if (!(warmupSeconds >= 0) || seconds?.trim() === '') {
    throw new UsageError(`--warmup-seconds must be a number >= 0, got "${seconds}"`, BENCH_USAGE);
  }
  const python = stringFlag(p, 'python');
  if (python !== undefined && python.trim() === '')
    throw new UsageError('--python is empty: give the path of a python3', BENCH_USAGE);
  const backends = stringFlag(p, 'backends');
  return {
    help: p.values.help === true,
    iters: intFlag(p, 'iters', BENCH_USAGE, 1, 20),
    warmup: intFlag(p, 'warmup', BENCH_USAGE, 1, 3),
    warmupSeconds,
    rounds: intFlag(p, 'rounds', BENCH_USAGE, 1, 3),
    cpuIters: intFlag(p, 'cpu-iters', BENCH_USAGE, 1, 3),
    models: listFlag('models', stringFlag(p, 'models') ?? DEFAULT_BENCH_MODELS.join(','), BENCH_MODELS),
    backends: backends === undefined ? undefined : listFlag('backends', backends, BENCH_BACKENDS),
    cpuDcgan: p.values['cpu-dcgan'] === true,
    torch: p.values['no-torch'] !== true,
    python,
    parzen: p.values.parzen === true,
    notebooks: p.values.notebooks === true,
  };
}

/** A comma-separated list of choices, e.g. "paper,dcgan"; each item must be one of `choices`. */
function listFlag<T extends string>(name: string, raw: string, choices: readonly T[]): T[] {
  const items = raw.split(',').map((s) => s.trim());
  const bad = items.filter((s) => !(choices as readonly string[]).includes(s));
  if (bad.length || items.length === 0) {
    throw new UsageError(
      `--${name} takes a comma-separated list of ${choices.join(', ')}; got ${bad.map((b) => `"${b}"`).join(', ') || 'nothing'}`,
      BENCH_USAGE,
    );
  }
  return items as T[];
}
