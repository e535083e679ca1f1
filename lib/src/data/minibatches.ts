/**
 * Minibatch indices over a data set, reshuffled at the start of every epoch from a tsgan Rng.
 * An epoch is one pass over the shuffled data: every index appears exactly once (lastBatch 'keep'),
 * or every index but the count % batchSize left over at the end, which change every epoch ('drop').
 *
 * The state (position, epoch, and the Rng) round-trips through getState/setState as plain JSON, so a
 * training run saved in a checkpoint resumes with exactly the batches it would have seen.
 */
import { Rng, RngSnapshot } from '../random';
import type { Stateful } from '../random/stateful';

export type LastBatch = 'drop' | 'keep';

export interface MinibatchesOptions {
  /** What to do with the count % batchSize examples left at the end of an epoch (default 'drop'). */
  lastBatch?: LastBatch;
}

export interface Minibatch {
  /** Indices into the data set, length batchSize (the last batch of an epoch may be shorter with 'keep'). */
  indices: Int32Array;
  /** 0-based epoch this batch belongs to. */
  epoch: number;
  /** 0-based position of this batch inside its epoch. */
  batchInEpoch: number;
  /** True for the last batch of its epoch. */
  epochEnd: boolean;
}

export interface MinibatchesState {
  count: number;
  batchSize: number;
  lastBatch: LastBatch;
  /** Epochs completed so far. */
  epochsCompleted: number;
  /** Batches already taken from the current epoch (0 when the next batch starts a new epoch). */
  batchInEpoch: number;
  /** Rng state just before the current epoch's permutation was drawn (null before the first batch). */
  epochRng: RngSnapshot | null;
  /** Rng state now (it may have moved on since, when the Rng is shared). */
  rng: RngSnapshot;
}

export class Minibatches implements Stateful<MinibatchesState> {
  readonly count: number;
  readonly batchSize: number;
  readonly lastBatch: LastBatch;
  /** Batches in one epoch: floor(count / batchSize) with 'drop', ceil with 'keep'. */
  readonly batchesPerEpoch: number;

  private readonly rng: Rng;
  private order: Int32Array | null = null;
  private epochRng: RngSnapshot | null = null;
  private completed = 0;
  private batchIndex = 0;

  /**
   * @param count number of examples (indices 0..count−1)
   * @param batchSize examples per batch; with 'drop' it must not exceed count
   * @param rng shuffling randomness; best a stream of its own (`rng.fork()`), so that other draws do not
   *   change the batch order
   */
  constructor(count: number, batchSize: number, rng: Rng, opts: MinibatchesOptions = {}) {
    const lastBatch = opts.lastBatch ?? 'drop';
    if (lastBatch !== 'drop' && lastBatch !== 'keep') {
      throw new Error(`Minibatches: lastBatch must be 'drop' or 'keep', got ${JSON.stringify(lastBatch)}`);
    }
    if (!Number.isInteger(count) || count <= 0) {
      throw new Error(`Minibatches: count must be a positive integer (the number of examples), got ${count}`);
    }
    if (!Number.isInteger(batchSize) || batchSize <= 0) {
      throw new Error(`Minibatches: batchSize must be a positive integer, got ${batchSize}`);
    }
    if (lastBatch === 'drop' && batchSize > count) {
      throw new Error(
        `Minibatches: batchSize ${batchSize} is larger than the ${count} examples, so dropping the incomplete last batch ` +
          `would leave no batch at all; use a batchSize <= ${count}, or lastBatch: 'keep'`,
      );
    }
    if (!rng || typeof (rng as Rng).permutation !== 'function') {
      throw new Error('Minibatches: pass a tsgan Rng as the third argument (e.g. new Rng(seed) or rng.fork())');
    }
    this.count = count;
    this.batchSize = batchSize;
    this.lastBatch = lastBatch;
    this.batchesPerEpoch = lastBatch === 'drop' ? Math.floor(count / batchSize) : Math.ceil(count / batchSize);
    this.rng = rng;
  }

  /** Epochs completed so far. */
  get epochsCompleted(): number {
    return this.completed;
  }

  /** Batches delivered since the start. */
  get step(): number {
    return this.completed * this.batchesPerEpoch + this.batchIndex;
  }

  next(): Minibatch {
    if (this.batchIndex === 0 || this.order === null) {
      // The permutation is drawn when the epoch's first batch is asked for, not when the previous epoch
      // ends, so the Rng is never advanced for an epoch that is never used.
      this.epochRng = this.rng.getState();
      this.order = this.rng.permutation(this.count);
    }
    const start = this.batchIndex * this.batchSize;
    const end = Math.min(start + this.batchSize, this.count);
    const batch: Minibatch = {
      indices: this.order.slice(start, end),
      epoch: this.completed,
      batchInEpoch: this.batchIndex,
      epochEnd: this.batchIndex === this.batchesPerEpoch - 1,
    };
    this.batchIndex++;
    if (this.batchIndex === this.batchesPerEpoch) {
      this.batchIndex = 0;
      this.completed++;
    }
    return batch;
  }

  getState(): MinibatchesState {
    return {
      count: this.count,
      batchSize: this.batchSize,
      lastBatch: this.lastBatch,
      epochsCompleted: this.completed,
      batchInEpoch: this.batchIndex,
      epochRng: this.epochRng ? cloneRng(this.epochRng) : null,
      rng: cloneRng(this.rng.getState()),
    };
  }

  /** Restores a state from getState() (also this iterator's Rng), so the next batches are the ones that followed. */
  setState(state: MinibatchesState): void {
    if (!state || typeof state !== 'object' || !state.rng) {
      throw new Error('Minibatches.setState: expected an object from Minibatches.getState()');
    }
    if (state.count !== this.count || state.batchSize !== this.batchSize || state.lastBatch !== this.lastBatch) {
      throw new Error(
        `Minibatches.setState: the state was saved for count ${state.count}, batchSize ${state.batchSize}, ` +
          `lastBatch '${state.lastBatch}', but this iterator has count ${this.count}, batchSize ${this.batchSize}, ` +
          `lastBatch '${this.lastBatch}'; build the iterator with the same settings as the saved run`,
      );
    }
    if (!Number.isInteger(state.epochsCompleted) || state.epochsCompleted < 0) {
      throw new Error(
        `Minibatches.setState: epochsCompleted must be a non-negative integer, got ${state.epochsCompleted}`,
      );
    }
    if (!Number.isInteger(state.batchInEpoch) || state.batchInEpoch < 0 || state.batchInEpoch >= this.batchesPerEpoch) {
      throw new Error(
        `Minibatches.setState: batchInEpoch ${state.batchInEpoch} is outside 0..${this.batchesPerEpoch - 1}`,
      );
    }
    if (state.batchInEpoch > 0 && !state.epochRng) {
      throw new Error('Minibatches.setState: the state is inside an epoch but has no epochRng to rebuild its order');
    }
    this.completed = state.epochsCompleted;
    this.batchIndex = state.batchInEpoch;
    this.epochRng = state.epochRng ? cloneRng(state.epochRng) : null;
    this.order = null;
    if (state.batchInEpoch > 0 && state.epochRng) {
      // Rebuild the current epoch's order instead of storing 60,000 indices in every checkpoint.
      this.rng.setState(cloneRng(state.epochRng));
      this.order = this.rng.permutation(this.count);
    }
    this.rng.setState(cloneRng(state.rng));
  }
}

function cloneRng(s: RngSnapshot): RngSnapshot {
  return { s: [s.s[0], s.s[1], s.s[2], s.s[3]], spareNormal: s.spareNormal };
}
