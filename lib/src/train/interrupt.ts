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
 */

export interface InterruptWatch {
  readonly interrupted: boolean;
  dispose(): void;
}

/** `listen`: true/false forces it; undefined = when the process already has a SIGINT listener. */
export function watchInterrupt(listen?: boolean): InterruptWatch {
  const proc = typeof process !== 'undefined' && typeof process.on === 'function' ? process : null;
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
  };
  const on = proc !== null && (listen ?? proc.listenerCount('SIGINT') > 0);
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
