/**
 * The wasm backend's Emscripten glue installs process-wide 'uncaughtException' and 'unhandledRejection'
 * listeners that rethrow. In a tslab kernel that turns any unawaited rejected promise or throw in a timer
 * into the death of the kernel (tslab's own listeners, which print the error, never get the last word);
 * in plain Node the process exits with code 7 and a stack inside tf-backend-wasm instead of the user's.
 * (Its own clean-up on dispose is worse: it removes every listener, tslab's included.) initBackend takes
 * a snapshot of these listeners before the backend starts and puts the list back exactly afterwards.
 */

const EVENTS = ['uncaughtException', 'unhandledRejection'] as const;
type Event = (typeof EVENTS)[number];
type Listener = (...args: unknown[]) => void;
// the overloads of process.on/listeners are per event name; these two share one listener shape here
const proc = process as unknown as {
  listeners(e: Event): Listener[];
  removeListener(e: Event, l: Listener): void;
  on(e: Event, l: Listener): void;
};

export type ProcessHandlersSnapshot = { [E in Event]: Listener[] };

export function snapshotProcessHandlers(): ProcessHandlersSnapshot {
  return Object.fromEntries(EVENTS.map((e) => [e, proc.listeners(e)])) as ProcessHandlersSnapshot;
}

/** Makes the listeners of both events exactly those of `before`; returns how many were removed. */
export function restoreProcessHandlers(before: ProcessHandlersSnapshot): number {
  let removed = 0;
  for (const e of EVENTS) {
    for (const l of proc.listeners(e)) {
      if (!before[e].includes(l)) {
        proc.removeListener(e, l);
        removed++;
      }
    }
    const now = proc.listeners(e);
    for (const l of before[e]) if (!now.includes(l)) proc.on(e, l);
  }
  return removed;
}

/** Runs `start` (which may install such listeners), then restores the listeners as they were before. */
export async function withProcessHandlersKept<T>(start: () => Promise<T>): Promise<T> {
  const before = snapshotProcessHandlers();
  try {
    return await start();
  } finally {
    restoreProcessHandlers(before);
  }
}
