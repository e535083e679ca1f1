/**
 * The one shape of "state that can be saved and restored exactly", at the bottom of the lib so that what
 * has such state (random/Rng, data/Minibatches and the real sources, the seeded dropout's Rng) and what
 * saves it (checkpoint/) both import it from here: the streams need not know that checkpoints exist.
 */

/** Anything whose state can be read and restored: Rng, RealSource, Minibatches. S is plain JSON-able data. */
export interface Stateful<S = unknown> {
  /** A copy of the state (changing it changes nothing here). */
  getState(): S;
  /** Restores a state from getState(); a state of another kind is an error. */
  setState(state: S): void;
}
