/**
 * TEST-ONLY fault injection for the saga crash tests (SAGA_CRASH_AT; config refuses it when
 * NODE_ENV=production). The process kills itself with SIGKILL right after the named remote call
 * has returned and before its outcome is recorded: the worst moment for a saga to die.
 */
export enum CrashPoint {
  AfterReserve = 'after-reserve',
  AfterConsume = 'after-consume',
  AfterRelease = 'after-release',
}

/** Called by the saga runner after each remote step; a no-op unless `crashAt` names that point. */
export function crashIfInjected(crashAt: CrashPoint | null, point: CrashPoint): void {
  if (crashAt === point) process.kill(process.pid, 'SIGKILL');
}
