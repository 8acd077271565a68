import type { Db } from '../../platform/db/db.ts';
import { notify } from '../notifications/notifications.service.ts';
import { PERIOD_KINDS, reachedThresholds } from './availability.ts';
import { computeReports } from './services.service.ts';
import * as qs from './services.queries.ts';

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Downtime-budget warnings: for every active service and each period (month, quarter, year to
 * date in the service calendar's time zone), the thresholds 50 / 75 / 100 % of the period's budget
 * that are reached are recorded in service_budget_alerts (primary key: each fires once per period,
 * safe on several instances). A service-period whose new thresholds were just recorded sends ONE
 * `service.budget` notification, for the highest of them, to the active managers of provider
 * organisations, in the same transaction; lower thresholds crossed in the same run (a big outage
 * can jump from 40 % to 120 %) are recorded silently rather than sending three messages at once.
 *
 * Returns the number of notifications sent (alerts fired); a second run at the same time fires none.
 */
export async function checkBudgets(db: Db, now: Date = new Date()): Promise<number> {
  const rows = await qs.listServices(db, { activeOnly: true });
  const reports = await computeReports(db, rows, now);
  let fired = 0;
  for (const row of rows) {
    const report = reports.get(row.s.id);
    if (!report) continue;
    for (const kind of PERIOD_KINDS) {
      const p = report[kind];
      const reached = reachedThresholds(p.usedPct);
      if (reached.length === 0) continue;
      fired += await db.transaction(async (tx) => {
        const claimed: number[] = [];
        for (const pct of reached) if (await qs.claimBudgetAlert(tx, row.s.id, p.key, pct)) claimed.push(pct);
        if (claimed.length === 0) return 0;
        const pct = Math.max(...claimed);
        await notify(tx, {
          event: 'service.budget',
          userIds: await qs.providerManagerIds(tx),
          params: {
            service: row.s.name,
            // '2026-11', '2026-Q4' or '2026': readable in either language.
            period: p.key.slice(p.key.indexOf(':') + 1),
            pct,
            usedMinutes: round1(p.usedMinutes),
            budgetMinutes: round1(p.budgetMinutes),
            target: `${Math.round(row.s.targetPct * 10_000) / 10_000}%`,
          },
          orgId: row.s.orgId,
          link: `/services/${row.s.id}`,
          urgent: pct >= 100,
        });
        return 1;
      });
    }
  }
  return fired;
}
