// The scripts' command lines: flags parsed by node:util's parseArgs, and paths the user typed resolved by
// the rule the tsgan CLI uses (lib/src/cli/userPath.ts, written once). parseFlags reports a mistake as a
// FlagError saying what kind it is and which argument, so that each script keeps its own words for it.
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';

/** A command line a script cannot run: kind 'unknown' (flag), 'missing' (a value), 'positional' (not taken). */
export class FlagError extends Error {
  constructor(kind, arg) {
    super(
      kind === 'unknown'
        ? `Unknown option ${arg}`
        : kind === 'missing'
          ? `${arg} needs a value`
          : `Unexpected argument ${arg}`,
    );
    this.kind = kind;
    this.arg = arg;
  }
}

/**
 * `argv` parsed by `options` (parseArgs' format): { values, positionals }. Throws FlagError for an unknown
 * flag (`--rerun=1` for a boolean counts as one, as typed), a string flag without a value or followed by
 * another flag (`--out --rerun`: the folder was forgotten), or a positional argument when none is taken.
 */
export function parseFlags(argv, options, { allowPositionals = false } = {}) {
  // strict: false, and the tokens checked here: strict mode's errors name no kind a script could word itself
  const { values, positionals, tokens } = parseArgs({
    args: argv,
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const type = Object.hasOwn(options, t.name) ? options[t.name].type : undefined;
    if (type === undefined || (type === 'boolean' && t.inlineValue))
      throw new FlagError('unknown', t.inlineValue ? `${t.rawName}=${t.value}` : t.rawName);
    if (type === 'string' && (t.value === undefined || (!t.inlineValue && t.value.startsWith('-'))))
      throw new FlagError('missing', t.rawName);
  }
  if (!allowPositionals && positionals.length) throw new FlagError('positional', positionals[0]);
  return { values, positionals };
}

/**
 * A script's own command line, parsed by parseFlags with -h/--help added: a mistake is printed in the
 * script's words (`describe`, default the FlagError's message) above `usage` on stderr, and the script
 * exits with `exitCode`; --help prints `help` (default `usage`) and exits 0.
 */
export function readCommandLine(
  argv,
  options,
  { usage, help = usage, allowPositionals = false, exitCode = 2, describe = (e) => e.message },
) {
  let parsed;
  try {
    parsed = parseFlags(argv, { help: { type: 'boolean', short: 'h' }, ...options }, { allowPositionals });
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    console.error(`${describe(e)}.\n${usage}`);
    process.exit(exitCode);
  }
  if (parsed.values.help) {
    console.log(help);
    process.exit(0);
  }
  return parsed;
}

/** A path the user typed, made absolute by the CLI's rule (INIT_CWD under `npm run`; needs the built lib). */
export function userPath(p) {
  let lib;
  try {
    lib = createRequire(import.meta.url)('../lib/dist/cli/userPath.js');
  } catch (e) {
    throw new Error(
      e.code === 'MODULE_NOT_FOUND'
        ? 'lib/dist/cli/userPath.js is missing: run `npm run build` (or `npm ci`) first.'
        : e.message,
      { cause: e },
    );
  }
  return lib.resolveUserPath(p);
}
