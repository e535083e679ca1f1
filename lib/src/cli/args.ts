/** Flag parsing on node's util.parseArgs, with errors that name the flag and say what is allowed. */
import { parseArgs, ParseArgsConfig } from 'util';
import { UsageError } from './usage';
import { resolveUserPath } from './userPath';

export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: { [name: string]: string | boolean | string[] | undefined };
  positionals: string[];
}

export function parseFlags(argv: string[], options: FlagSpec, usage: string, allowPositionals = false): Parsed {
  try {
    const r = parseArgs({
      args: joinNegativeValues(argv, options),
      options: { help: { type: 'boolean', short: 'h' }, ...options },
      allowPositionals,
      strict: true,
    });
    return { values: r.values as Parsed['values'], positionals: r.positionals };
  } catch (e) {
    // parseArgs' messages already name the flag ("Unknown option '--epoch'")
    throw new UsageError((e as Error).message.replace(/\. To specify a positional.*$/s, ''), usage);
  }
}

/**
 * `--epochs -1` as `--epochs=-1`: parseArgs takes a value that starts with a dash for an option and calls
 * it "ambiguous"; joined, it reaches the flag's own check, which says what values are allowed.
 */
function joinNegativeValues(argv: string[], options: FlagSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') ? argv[i].slice(2) : null;
    if (name && options[name]?.type === 'string' && /^-\d/.test(argv[i + 1] ?? '')) out.push(`${argv[i]}=${argv[++i]}`);
    else out.push(argv[i]);
  }
  return out;
}

/** An integer flag within [min, max], or the default when absent. */
export function intFlag(p: Parsed, name: string, usage: string, min: number, dflt: number, max?: number): number;
export function intFlag(
  p: Parsed,
  name: string,
  usage: string,
  min: number,
  dflt?: undefined,
  max?: number,
): number | undefined;
export function intFlag(
  p: Parsed,
  name: string,
  usage: string,
  min: number,
  dflt?: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  const raw = p.values[name];
  if (raw === undefined) return dflt;
  const s = String(raw).trim();
  const v = /^-?\d+$/.test(s) ? Number(s) : NaN;
  if (!Number.isSafeInteger(v) || v < min || v > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in ${min}..${max}`;
    throw new UsageError(`--${name} must be ${range}, got "${s}"`, usage);
  }
  return v;
}

export function choiceFlag<T extends string>(
  p: Parsed,
  name: string,
  usage: string,
  choices: readonly T[],
): T | undefined {
  const raw = p.values[name];
  if (raw === undefined) return undefined;
  if (!(choices as readonly string[]).includes(String(raw))) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got "${String(raw)}"`, usage);
  }
  return raw as T;
}

export function stringFlag(p: Parsed, name: string): string | undefined {
  const raw = p.values[name];
  return raw === undefined ? undefined : String(raw);
}

/**
 * A path the user typed, made absolute by the shared rule (userPath.ts); a path that is not valid UTF-8 is
 * a usage error.
 */
export function userPath(p: string, usage?: string): string {
  // Node decodes arguments as UTF-8 and turns bytes that are not into U+FFFD: such a path names another
  // file than the one typed (and `--out` would create a folder of another name), so it is refused
  if (p.includes('\uFFFD'))
    throw new UsageError(
      `The path ${JSON.stringify(p)} is not valid UTF-8 (shown with \uFFFD for the bytes that are not): tsgan cannot address it. ` +
        'Rename the folder to a UTF-8 name (e.g. `convmv -f latin1 -t utf8 --notest NAME`) or choose another path.',
      usage,
    );
  return resolveUserPath(p);
}

/** A folder or file flag: absolute (see userPath), undefined when absent; an empty value is a usage error. */
export function pathFlag(p: Parsed, name: string, usage: string): string | undefined {
  const raw = p.values[name];
  if (raw === undefined) return undefined;
  if (String(raw).trim() === '') throw new UsageError(`--${name} is empty: give a path`, usage);
  return userPath(String(raw), usage);
}
