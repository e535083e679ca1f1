/** Where the commands write: stdout/stderr by default; tests and notebooks pass their own sinks to main(). */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
};

let current: CliIo = processIo;

export function setIo(io: CliIo): CliIo {
  const before = current;
  current = io;
  return before;
}

/** A line on the output (results, tables). */
export function say(line: string): void {
  current.out(line + '\n');
}

/** A line on the diagnostics stream (progress, warnings, errors). */
export function warn(line: string): void {
  current.err(line + '\n');
}
