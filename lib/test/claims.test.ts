import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { claim, claimTrue, formatValue, backendLine, CLAIM_FAILED_MARKER, type BackendReport } from '../src';

/** Runs fn with console.log/error captured and the given environment; returns [result, stdout lines, stderr lines]. */
function captured<T>(env: Record<string, string | undefined>, fn: () => T): [T, string[], string[]] {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { log: console.log, error: console.error };
  const savedEnv: Record<string, string | undefined> = {};
  for (const k of Object.keys(env)) {
    savedEnv[k] = process.env[k];
    if (env[k] === undefined) delete process.env[k];
    else process.env[k] = env[k];
  }
  console.log = (...a: unknown[]) => {
    out.push(a.join(' '));
  };
  console.error = (...a: unknown[]) => {
    err.push(a.join(' '));
  };
  try {
    return [fn(), out, err];
  } finally {
    Object.assign(console, saved);
    for (const k of Object.keys(savedEnv)) {
      if (savedEnv[k] === undefined) delete process.env[k];
      else process.env[k] = savedEnv[k];
    }
  }
}

const FULL = { TSGAN_QUICK: undefined, TSGAN_CLAIM_MARKERS: undefined };
const QUICK = { TSGAN_QUICK: '1', TSGAN_CLAIM_MARKERS: undefined };
const RUNNER = { TSGAN_QUICK: undefined, TSGAN_CLAIM_MARKERS: '1' };

describe('claim', () => {
  it('prints ✔ with the value and the range when the value is inside, bounds inclusive', () => {
    const [ok, out, err] = captured(FULL, () => claim('mean D(x)', 0.51234, { min: 0.4, max: 0.6 }));
    assert.equal(ok, true);
    assert.deepEqual(out, ['✔ mean D(x): 0.512 (expected between 0.4 and 0.6)']);
    assert.deepEqual(err, []);
    assert.equal(captured(FULL, () => claim('at the bound', 0.4, { min: 0.4 }))[0], true);
    const [, computed] = captured(FULL, () => claim('bounds', 1.5, { min: Math.log(4) + 0.1, max: 1e-6 + 2 }));
    assert.deepEqual(computed, ['✔ bounds: 1.5 (expected between 1.48629 and 2)']);
    const [, tiny] = captured(FULL, () => claim('tiny', 0, { min: -1e-6, max: 2.5e-7 }));
    assert.deepEqual(tiny, ['✔ tiny: 0 (expected between -1e-6 and 2.5e-7)']);
    assert.equal(captured(FULL, () => claim('at the bound', 0.6, { max: 0.6 }))[0], true);
  });

  it('prints ✘ and returns false outside the range, with why; the stderr marker only for the runner', () => {
    const [ok, out, err] = captured(FULL, () =>
      claim('D loss', 1.64, { max: 1.386 }, { why: 'D should win early', digits: 2 }),
    );
    assert.equal(ok, false);
    assert.deepEqual(out, ['✘ D loss: 1.6 (expected ≤ 1.386) — D should win early']);
    assert.deepEqual(err, [], 'a student in the browser sees only the friendly line');
    const [ok2, out2, err2] = captured(RUNNER, () => claim('spread  of\nG(z)', -1, { min: 0 }));
    assert.equal(ok2, false);
    assert.deepEqual(out2, ['✘ spread  of\nG(z): -1 (expected ≥ 0)']);
    assert.deepEqual(err2, [`${CLAIM_FAILED_MARKER} spread of G(z)`], 'the marker is one line');
  });

  it('fails on NaN and infinities whatever the range', () => {
    for (const v of [NaN, Infinity, -Infinity]) {
      const [ok, out] = captured(FULL, () => claim('x', v, { min: -Infinity, max: Infinity }));
      assert.equal(ok, false, String(v));
      assert.match(out[0], /^✘ x: /);
    }
  });

  it('is checked only in the mode named by onlyIn, and says so in the other', () => {
    const [okQ, outQ] = captured({ ...QUICK, TSGAN_CLAIM_MARKERS: '1' }, () =>
      claim('JSD', 0.9, { max: 0.1 }, { onlyIn: 'full' }),
    );
    assert.equal(okQ, true);
    assert.deepEqual(outQ, ['· JSD: only checked in full mode (TSGAN_QUICK unset)']);
    const [okF] = captured(RUNNER, () => claim('JSD', 0.9, { max: 0.1 }, { onlyIn: 'full' }));
    assert.equal(okF, false);
    const [okF2, outF2] = captured(FULL, () => claim('JSD', 0.9, { max: 0.1 }, { onlyIn: 'quick' }));
    assert.equal(okF2, true);
    assert.deepEqual(outF2, ['· JSD: only checked in quick mode (TSGAN_QUICK=1)']);
  });

  it('rejects malformed arguments with a message saying what to pass', () => {
    assert.throws(() => claim('', 1, { min: 0 }), /what must be a non-empty string/);
    assert.throws(() => claim('v', '1' as unknown as number, { min: 0 }), /value must be a number, got string/);
    assert.throws(() => claim('v', 1, {}), /expect needs min, max or both/);
    assert.throws(() => claim('v', 1, { min: 2, max: 1 }), /expect\.min \(2\) is above expect\.max \(1\)/);
    assert.throws(() => claim('v', 1, { mni: 2 } as never), /unknown bound "mni"/);
    assert.throws(() => claim('v', 1, { min: NaN }), /expect\.min must be a number/);
    assert.throws(
      () => claim('v', 1, { min: 0 }, { onlyIn: 'ful' as never }),
      /onlyIn must be 'full' or 'quick', got "ful"/,
    );
    assert.throws(() => claim('v', 1, { min: 0 }, { digits: 0 }), /digits must be an integer from 1 to 15/);
    assert.throws(() => claimTrue('v', 1 as unknown as boolean, 'd'), /ok must be true or false/);
    assert.throws(() => claimTrue('v', true, undefined as unknown as string), /detail must be a string/);
  });
});

describe('claimTrue', () => {
  it('prints the detail with ✔ or ✘ and returns ok', () => {
    const [ok, out] = captured(FULL, () => claimTrue('D(x) above D(G(z))', true, '0.8 > 0.3'));
    assert.equal(ok, true);
    assert.deepEqual(out, ['✔ D(x) above D(G(z)): 0.8 > 0.3']);
    const [bad, outBad, errBad] = captured(RUNNER, () =>
      claimTrue('G untouched', false, '3 weights changed', { why: 'D step only' }),
    );
    assert.equal(bad, false);
    assert.deepEqual(outBad, ['✘ G untouched: 3 weights changed — D step only']);
    assert.deepEqual(errBad, [`${CLAIM_FAILED_MARKER} G untouched`]);
    assert.equal(captured(QUICK, () => claimTrue('late', false, 'x', { onlyIn: 'full' }))[0], true);
  });
});

describe('formatValue', () => {
  it('uses significant digits and an exponent only for tiny or huge magnitudes', () => {
    assert.equal(formatValue(0.123456), '0.123');
    assert.equal(formatValue(-1.3862943, 4), '-1.386');
    assert.equal(formatValue(6.2e-15), '6.20e-15');
    assert.equal(formatValue(2500000, 2), '2.5e+6');
    assert.equal(formatValue(0), '0');
    assert.equal(formatValue(1200), '1200');
    assert.equal(formatValue(NaN), 'NaN');
  });
});

describe('backendLine', () => {
  const report: BackendReport = {
    backend: 'wasm',
    package: '@tensorflow/tfjs-backend-wasm',
    tfjsVersion: '4.22.0',
    device: 'CPU',
    gpu: false,
    forced: false,
    attempts: [],
    notes: ['wasm threads: 1'],
  };
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.TSGAN_QUICK;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.TSGAN_QUICK;
    else process.env.TSGAN_QUICK = saved;
  });

  it('says backend, device, version and mode in one line, and where the details are', () => {
    process.env.TSGAN_QUICK = '1';
    const line = backendLine(report);
    assert.equal(
      line,
      'Backend: wasm on CPU (tfjs 4.22.0) · quick mode (TSGAN_QUICK=1) · details: console.log(gan.formatBackendReport(backend))',
    );
    delete process.env.TSGAN_QUICK;
    const forced = backendLine({ ...report, backend: 'cpu', forced: true, forcedBy: 'TSGAN_BACKEND' });
    assert.match(forced, /^Backend: cpu on CPU \(tfjs 4\.22\.0, forced by TSGAN_BACKEND\) · full mode · /);
    assert.ok(!forced.includes('\n'));
    const noGpu = backendLine({
      ...report,
      backend: 'tensorflow',
      notes: ['tfjs-node-gpu loaded but TensorFlow found no usable GPU, …'],
    });
    assert.match(noGpu, /warning: no usable GPU/);
    assert.throws(() => backendLine(undefined as never), /pass the report that `await gan.initBackend\(\)` returns/);
  });
});
