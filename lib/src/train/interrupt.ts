/**
 * Kernel › Interrupt in Jupyter sends SIGINT to the kernel process. tslab's listener then ends the cell
 * ("Interrupted asynchronously") but cannot stop an awaited async loop, which would go on training in the
 * background. trainGan listens too, and ends after the step it is in.
 * It listens only when something else already handles SIGINT (a notebook kernel, the tsgan CLI): a plain
 * Node script keeps Node's default, where Ctrl-C ends the process.
 */

export interface InterruptWatch {
  readonly interrupted: boolean;
  dispose(): void;
}

/** `listen`: true/false forces it; undefined = only when the process already has a SIGINT listener. */
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
