/**
 * Counting NaN and ±Infinity: a GAN whose weights or data stop being finite has no loss and no gradient
 * worth following, so the losses (their logits), trainGan (the weights) and saveCheckpoint (everything it
 * writes) all refuse them. One counter for the three.
 */

export interface NonFiniteCount {
  nan: number;
  inf: number;
}

/** How many NaN and ±Infinity values `values` holds (both 0 when all are finite). */
export function countNonFinite(values: ArrayLike<number>): NonFiniteCount {
  let nan = 0;
  let inf = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (x - x !== 0) {
      // only NaN and ±Infinity fail x − x = 0; the test is cheap enough for every checkpoint
      if (Number.isNaN(x)) nan++;
      else inf++;
    }
  }
  return { nan, inf };
}

/** "3 NaN and 1 infinite values" for messages. */
export function describeNonFinite(c: NonFiniteCount): string {
  const parts = [c.nan ? `${c.nan} NaN` : '', c.inf ? `${c.inf} infinite` : ''].filter(Boolean);
  return `${parts.join(' and ')} value${c.nan + c.inf === 1 ? '' : 's'}`;
}
