/**
 * A small seeded random number generator (xoshiro128**), so that every run of tsgan is reproducible
 * and its state can be saved in a checkpoint and restored exactly.
 *
 * tfjs' own seeded ops return the same numbers on every call with the same seed, which is wrong for
 * noise that must change every step; keeping one stateful generator on the JavaScript side avoids that.
 */
import type { Stateful } from './stateful';

export type RngState = [number, number, number, number];

/** Everything an Rng's next numbers depend on: what a checkpoint saves. */
export interface RngSnapshot {
  s: RngState;
  spareNormal: number | null;
}

export class Rng implements Stateful<RngSnapshot> {
  private s: Uint32Array;
  /** A cached second Gaussian from Box-Muller; part of the state. */
  private spareNormal: number | null = null;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`Rng: seed must be a finite number, got ${seed}`);
    this.s = new Uint32Array(4);
    // splitmix32 spreads any seed (even 0) over the 128-bit state
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
  }

  /** Next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1), exactly representable in float32 (24 random bits). */
  uniform(): number {
    return (this.nextUint32() >>> 8) / 16777216;
  }

  /** Standard normal by the Box-Muller transform. */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`Rng.int: n must be a positive integer, got ${n}`);
    return Math.floor(this.uniform() * n);
  }

  /**
   * Fills `out` with the next out.length outputs of nextUint32(), in order. The same stream as calling it
   * that many times, but with the state in locals: ≈ 10× faster, which matters for dropout masks
   * (≈ 380,000 numbers per paper GAN iteration).
   */
  fillUint32(out: Uint32Array): Uint32Array {
    const s = this.s;
    let s0 = s[0];
    let s1 = s[1];
    let s2 = s[2];
    let s3 = s[3];
    // Everything stays int32 here (no `>>> 0`): V8 keeps the locals in registers instead of boxing doubles.
    for (let i = 0; i < out.length; i++) {
      const r = Math.imul(s1, 5);
      out[i] = Math.imul((r << 7) | (r >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
    return out;
  }

  /** Fills `out` with U(low, high): the numbers of as many uniform() calls. */
  fillUniform(out: Float32Array, low = 0, high = 1): Float32Array {
    const span = high - low;
    const bits = this.fillUint32(new Uint32Array(out.buffer, out.byteOffset, out.length));
    for (let i = 0; i < out.length; i++) out[i] = low + span * ((bits[i] >>> 8) / 16777216);
    return out;
  }

  /** out[i] = value with probability p, else 0: `uniform() < p ? value : 0` for each element (dropout masks). */
  fillBernoulli(out: Float32Array, p: number, value = 1): Float32Array {
    const bits = this.fillUint32(new Uint32Array(out.buffer, out.byteOffset, out.length));
    for (let i = 0; i < out.length; i++) out[i] = (bits[i] >>> 8) / 16777216 < p ? value : 0;
    return out;
  }

  /** Fills `out` with N(mean, std²). */
  fillNormal(out: Float32Array, mean = 0, std = 1): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.normal();
    return out;
  }

  /** A permutation of 0..n-1 (Fisher-Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** A new generator seeded from this one: independent streams for noise, dropout, shuffling. */
  fork(): Rng {
    return new Rng(this.nextUint32());
  }

  getState(): RngSnapshot {
    return { s: [this.s[0], this.s[1], this.s[2], this.s[3]], spareNormal: this.spareNormal };
  }

  setState(state: RngSnapshot): void {
    if (!Array.isArray(state.s) || state.s.length !== 4) {
      throw new Error('Rng.setState: expected {s: [4 uint32], spareNormal}, e.g. from getState()');
    }
    this.s.set(state.s);
    this.spareNormal = state.spareNormal;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
