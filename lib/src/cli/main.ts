#!/usr/bin/env node
/**
 * tsgan: the command line of the paper reproduction (train, eval parzen, figures, export, seal) and of the
 * classifier that judges notebook 09 (train-classifier).
 * Exit codes: 0 done, 1 failed, 2 bad command line, 130/143 stopped by SIGINT/SIGTERM after saving.
 */
import { evalCommand } from './eval';
import { exportCommand } from './export';
import { figuresCommand } from './figures';
import { sealCommand } from './seal';
import { trainCommand } from './train';
import { trainClassifierCommand } from './trainClassifier';
import { USAGE, UsageError } from './usage';
import { CliIo, say, setIo, warn } from './io';

const COMMANDS: { [name: string]: (argv: string[]) => Promise<number> } = {
  train: trainCommand,
  eval: evalCommand,
  figures: figuresCommand,
  export: exportCommand,
  seal: sealCommand,
  'train-classifier': trainClassifierCommand,
};

export async function main(argv: string[], io?: CliIo): Promise<number> {
  const before = io ? setIo(io) : null;
  try {
    return await dispatch(argv);
  } finally {
    if (before) setIo(before);
  }
}

async function dispatch(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      say(USAGE);
      return command === undefined ? 2 : 0;
    }
    const run = COMMANDS[command];
    if (!run) throw new UsageError(`Unknown command "${command}". Commands: ${Object.keys(COMMANDS).join(', ')}`);
    return await run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      warn(`tsgan: ${e.message}\n\n${e.usage}`);
      return 2;
    }
    warn(`tsgan: error: ${e instanceof Error ? e.message : String(e)}`);
    if (process.env.TSGAN_DEBUG) warn(String(e instanceof Error ? e.stack : e));
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`tsgan: error: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
