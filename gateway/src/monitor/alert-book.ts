import type { Condition } from './alert-rules.ts';

export enum AlertStatus {
  Firing = 'FIRING',
  Resolved = 'RESOLVED',
}

export interface Alert extends Condition {
  id: string;
  status: AlertStatus;
  startsAt: string;
  endsAt: string | null;
}

const DEFAULT_KEEP = 200;

/**
 * The alerts: `update(conditions)` fires an alert for each condition that newly holds and resolves
 * each active one whose condition no longer holds; each alert fires once and resolves once.
 * Returns what changed, for the notifier.
 */
export class AlertBook {
  private readonly active = new Map<string, Alert>();
  private readonly recent: Alert[] = [];
  private seq = 0;

  constructor(private readonly keep = DEFAULT_KEEP) {}

  update(conditions: Condition[], now = new Date()): Alert[] {
    const changed: Alert[] = [];
    const holding = new Set(conditions.map((c) => c.key));
    for (const condition of conditions) {
      if (this.active.has(condition.key)) continue;
      const alert: Alert = { ...condition, id: `${now.getTime().toString(36)}-${++this.seq}`, status: AlertStatus.Firing, startsAt: now.toISOString(), endsAt: null };
      this.active.set(condition.key, alert);
      this.recent.unshift(alert);
      changed.push({ ...alert });
    }
    for (const [key, alert] of this.active) {
      if (holding.has(key)) continue;
      this.active.delete(key);
      alert.status = AlertStatus.Resolved;
      alert.endsAt = now.toISOString();
      changed.push({ ...alert });
    }
    this.recent.splice(this.keep);
    return changed;
  }

  /** Newest first; `active` only the firing ones. */
  list({ active = false, limit = 50 }: { active?: boolean; limit?: number } = {}): Alert[] {
    return (active ? [...this.active.values()] : this.recent).slice(0, limit).map((a) => ({ ...a }));
  }
}
