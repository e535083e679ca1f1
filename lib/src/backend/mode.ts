/**
 * Quick mode (TSGAN_QUICK=1) runs every notebook top to bottom in seconds for the tests;
 * the default full mode gives results worth looking at. One switch, read in one place.
 */
export function isQuickMode(): boolean {
  const v = (process.env.TSGAN_QUICK ?? '').trim().toLowerCase();
  return v !== '' && v !== '0' && v !== 'false';
}

/** `quickOrFull(200, 20000)`: the value for the current mode. */
export function quickOrFull<T>(quick: T, full: T): T {
  return isQuickMode() ? quick : full;
}
