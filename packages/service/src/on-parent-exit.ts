const DEFAULT_POLL_MS = 500;

/**
 * Calls `onExit` once when this process's parent goes away (its parent id changes: it was re-parented
 * to init or a subreaper). `npm start` and a process manager are such parents: when npm is signalled it
 * exits without passing the signal on, and a service left behind would keep its port. Polling the
 * parent id is the portable check (Linux's PR_SET_PDEATHSIG is not reachable from Node).
 * Returns a function that stops watching. The timer never keeps the process alive.
 */
export function onParentExit(onExit: () => void, { pollMs = DEFAULT_POLL_MS }: { pollMs?: number } = {}): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onExit();
  }, pollMs);
  timer.unref();
  return () => clearInterval(timer);
}
