/**
 * The one parser of tsgan's on/off environment variables (TSGAN_QUICK, TSGAN_WASM_KERNELS, TSGAN_WASM_FMA,
 * the on/off words of TSGAN_WASM_THREADS). Every switch accepts the same words, and a word it does not
 * know is an error naming the variable, never a silent guess: `TSGAN_QUICK=off` once meant quick mode ON.
 */

const ON = ['1', 'on', 'true', 'yes'];
const OFF = ['0', 'off', 'false', 'no'];

/** The words envFlag accepts, for messages: "1/on/true/yes or 0/off/false/no". */
export const ENV_FLAG_WORDS = `${ON.join('/')} or ${OFF.join('/')}`;

/** true/false for an on/off word (case and spaces ignored), undefined for anything else (unset included). */
export function parseOnOff(value: string | undefined): boolean | undefined {
  const v = (value ?? '').trim().toLowerCase();
  if (ON.includes(v)) return true;
  if (OFF.includes(v)) return false;
  return undefined;
}

/**
 * The on/off value of environment variable `name`; `dflt` when it is unset or empty. Any other value
 * throws an error that names the variable, the value and the accepted words.
 */
export function envFlag(name: string, dflt: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return dflt;
  const v = parseOnOff(raw);
  if (v === undefined) {
    throw new Error(
      `${name}=${JSON.stringify(raw)} is not an on/off value: use ${ENV_FLAG_WORDS} (or unset it for the default, ${dflt ? 'on' : 'off'}).`,
    );
  }
  return v;
}
