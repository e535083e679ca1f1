/**
 * Kernel › Interrupt in Jupyter sends SIGINT to the kernel process. tslab's listener then ends the cell
 * ("Interrupted asynchronously") but cannot stop an awaited async loop, which would go on training in the
 * background. trainGan listens too, and ends after the step it is in.
 * It listens only when something else already handles SIGINT (a notebook kernel, the tsgan CLI): a plain
 * Node script keeps Node's default, where Ctrl-C ends the process.
 * Call it after an `await`, never in the synchronous start of a notebook cell: tslab runs a cell through
 * vm's breakOnSigint, which removes every SIGINT listener while that part runs and afterwards puts the
 * process back on the default SIGINT action at the OS level; a listener added in between then sees no
 * signal, and the next Interrupt KILLS the kernel (measured in a child process that does what tslab does).
 *
 * An Interrupt that arrives before trainGan listens (while the cell still awaits something else, e.g.
 * loading a model) ends the cell, and training would then start in the background. So a watcher that
 * stays (installed once, outside any cell's synchronous part) notes the time of every SIGINT and of every
 * cell start (breakOnSigint removes all SIGINT listeners, the watcher among them, as a cell begins):
 * a trainGan that starts after a SIGINT of its own cell stops before its first step.
 */

export interface InterruptWatch {
  readonly interrupted: boolean;
  dispose(): void;
}

const clock = () => performance.now();
let lastInterrupt = -Infinity;
let cellStartedAt = -Infinity;
let watcher: (() => void) | null = null;

/**
 * Installs the lasting watcher (idempotent) when the process handles SIGINT itself. The lib calls it one
 * macrotask after it is loaded, so never inside a notebook cell's synchronous part.
 */
export function installInterruptWatcher(): void {
  const proc = typeof process !== 'undefined' && typeof process.on === 'function' ? process : null;
  if (watcher || !proc || proc.listenerCount('SIGINT') === 0) return;
  const w = () => {
    lastInterrupt = clock();
  };
  watcher = w;
  proc.on('removeListener', (event: string | symbol, listener: unknown) => {
    // only vm's breakOnSigint removes the watcher (nothing in tsgan does): a notebook cell is starting
    if (event === 'SIGINT' && listener === w) cellStartedAt = clock();
  });
  proc.on('SIGINT', w);
}

/** `listen`: true/false forces it; undefined = when the process already has a SIGINT listener. */
export function watchInterrupt(listen?: boolean): InterruptWatch {
  const proc = typeof process !== 'undefined' && typeof process.on === 'function' ? process : null;
  const on = proc !== null && (listen ?? proc.listenerCount('SIGINT') > 0);
  // a SIGINT since this cell started, seen before this listener existed (only inside a notebook cell)
  let interrupted = on && watcher !== null && cellStartedAt > -Infinity && lastInterrupt > cellStartedAt;
  const onSigint = () => {
    interrupted = true;
  };
  if (on) proc.on('SIGINT', onSigint);
  return {
    get interrupted() {
      return interrupted;
    },
    dispose: () => {
      if (on) proc.off('SIGINT', onSigint);
    },
  };
}

// one macrotask after the lib is loaded: outside the synchronous part of the notebook cell that imported it
if (typeof setImmediate === 'function') setImmediate(installInterruptWatcher).unref();
