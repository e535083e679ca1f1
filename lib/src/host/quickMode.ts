/**
 * Quick mode (TSGAN_QUICK=1) runs every notebook top to bottom in seconds for the tests;
 * the default full mode gives results worth looking at. One switch, read in one place.
 */
import { envFlag } from './flags';

/** TSGAN_QUICK as an on/off flag (1/on/true/yes, 0/off/false/no; anything else is an error). */
export function isQuickMode(): boolean {
  return envFlag('TSGAN_QUICK', false);
}

/** `quickOrFull(200, 20000)`: the value for the current mode. */
export function quickOrFull<T>(quick: T, full: T): T {
  return isQuickMode() ? quick : full;
}
