/**
 * The command line of `npm run bench` (scripts/bench/options.ts): parsed by the CLI's parseFlags, so a
 * typo is an error naming the flag instead of a silent default. Only the parsing runs here: the bench
 * itself is never started by the tests (it times the machine for minutes).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BENCH_USAGE, parseBenchArgs } from '../../scripts/bench/options';
import { UsageError } from '../src/cli/usage';

/** Asserts that parsing `argv` throws a UsageError whose message matches `message` and carries bench's usage. */
function rejects(argv: string[], message: RegExp): void {
  assert.throws(
    () => parseBenchArgs(argv),
    (e: unknown) => {
      assert.ok(e instanceof UsageError, `a UsageError, got ${String(e)}`);
      assert.match(e.message, message);
      assert.equal(e.usage, BENCH_USAGE);
      return true;
    },
  );
}

describe('npm run bench: flags', () => {
  test('no flags: the documented defaults', () => {
    assert.deepEqual(parseBenchArgs([]), {
      help: false,
      iters: 20,
      warmup: 3,
      warmupSeconds: 3,
      rounds: 3,
      cpuIters: 3,
      models: ['paper', 'dcgan'],
      backends: undefined,
      cpuDcgan: false,
      torch: true,
      python: undefined,
      parzen: false,
      notebooks: false,
    });
  });

  test("the simultaneous update's two forms are models of their own, timed only when asked for", () => {
    assert.deepEqual(parseBenchArgs(['--models', 'paper-simultaneous,paper-shared']).models, [
      'paper-simultaneous',
      'paper-shared',
    ]);
    assert.deepEqual(parseBenchArgs([]).models, ['paper', 'dcgan']);
  });

  test('every flag is read', () => {
    const o = parseBenchArgs([
      ...['--iters', '7', '--warmup', '2', '--warmup-seconds', '0.5', '--rounds', '1', '--cpu-iters', '4'],
      ...[
        '--models',
        'dcgan',
        '--backends',
        'wasm,wasm-1t',
        '--cpu-dcgan',
        '--no-torch',
        '--python',
        'py3',
        '--parzen',
        '--notebooks',
      ],
    ]);
    assert.deepEqual(o, {
      help: false,
      iters: 7,
      warmup: 2,
      warmupSeconds: 0.5,
      rounds: 1,
      cpuIters: 4,
      models: ['dcgan'],
      backends: ['wasm', 'wasm-1t'],
      cpuDcgan: true,
      torch: false,
      python: 'py3',
      parzen: true,
      notebooks: true,
    });
    assert.equal(parseBenchArgs(['--help']).help, true);
    assert.match(BENCH_USAGE, /--iters N[\s\S]*--notebooks/);
  });

  test('a typo or a bad value is an error that names it', () => {
    rejects(['--iter', '50'], /Unknown option '--iter'/);
    rejects(['--no-torh'], /Unknown option '--no-torh'/);
    rejects(['--iters'], /--iters/);
    rejects(['--iters', '0'], /--iters must be an integer ≥ 1, got "0"/);
    rejects(['--rounds', 'three'], /--rounds must be an integer ≥ 1, got "three"/);
    rejects(['--warmup-seconds=-1'], /--warmup-seconds must be a number >= 0, got "-1"/);
    rejects(['--warmup-seconds', 'soon'], /--warmup-seconds must be a number >= 0, got "soon"/);
    rejects(
      ['--models', 'paper,dcgn'],
      /--models takes a comma-separated list of paper, dcgan, paper-simultaneous, paper-shared; got "dcgn"/,
    );
    rejects(['--backends', 'wasm,gpu'], /--backends takes .* got "gpu"/);
    rejects(['--python', ' '], /--python is empty/);
    rejects(['stray'], /stray/);
  });
});
