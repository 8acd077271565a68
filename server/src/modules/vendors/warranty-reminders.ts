import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../platform/db/db.ts';
import { notify } from '../notifications/notifications.service.ts';
import { approverIds } from './repairs.queries.ts';
import { addDays, daysBetween, shanghaiDate } from './repair-flow.ts';

/** Reminders go out this many days before a warranty or a vendor contract ends. */
export const REMINDER_DAYS = 30;
const BATCH = 100;

type AssetDue = { id: number; asset_tag: string; name: string; org_id: number; warranty_end: string; vendor: string | null };
type ContractDue = { id: number; vendor_id: number; number: string; title: string; org_id: number | null; end_date: string; vendor: string };

/**
 * The `assets.warranty` sweep: one reminder per asset warranty end date and per vendor contract end
 * date, 30 days ahead (China calendar days), to the active managers of provider organisations (they
 * hold asset.manage and vendor.manage in every organisation and decide on renewals).
 *
 * Each batch claims its rows with an UPDATE that sets the marker (`warranty_reminded_for` /
 * `reminded_for`) to the current end date and sends the notifications in the same transaction: the
 * UPDATE re-checks `IS DISTINCT FROM` after taking the row lock, so a second instance or a retry
 * sends nothing twice, and a changed end date re-arms the reminder. Retired and disposed assets are
 * skipped; dates already past are not reminded. Returns how many reminders were sent.
 */
export async function sweepWarrantyReminders(db: Db, now: Date = new Date()): Promise<number> {
  const today = shanghaiDate(now);
  const horizon = addDays(today, REMINDER_DAYS);
  const assetsSent = await db.transaction(async (tx) => {
    const due = await rows<AssetDue>(
      tx,
      sql`UPDATE assets a SET warranty_reminded_for = a.warranty_end
          WHERE a.id IN (
            SELECT id FROM assets
            WHERE status NOT IN ('retired', 'disposed') AND warranty_end BETWEEN ${today}::date AND ${horizon}::date
              AND warranty_reminded_for IS DISTINCT FROM warranty_end
            ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
            AND a.warranty_reminded_for IS DISTINCT FROM a.warranty_end
          RETURNING a.id, a.asset_tag, a.name, a.org_id, a.warranty_end::text AS warranty_end,
            (SELECT v.name FROM vendors v WHERE v.id = a.vendor_id) AS vendor`,
    );
    if (!due.length) return 0;
    const managers = await approverIds(tx);
    for (const a of due) {
      await notify(tx, {
        event: 'asset.warranty',
        userIds: managers,
        params: { tag: a.asset_tag, name: a.name, date: a.warranty_end, days: daysBetween(today, a.warranty_end), ...(a.vendor ? { vendor: a.vendor } : {}) },
        orgId: Number(a.org_id),
        link: `/assets/${a.id}`,
      });
    }
    return due.length;
  });
  const contractsSent = await db.transaction(async (tx) => {
    const due = await rows<ContractDue>(
      tx,
      sql`UPDATE vendor_contracts c SET reminded_for = c.end_date
          WHERE c.id IN (
            SELECT id FROM vendor_contracts
            WHERE end_date BETWEEN ${today}::date AND ${horizon}::date AND reminded_for IS DISTINCT FROM end_date
            ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
            AND c.reminded_for IS DISTINCT FROM c.end_date
          RETURNING c.id, c.vendor_id, c.number, c.title, c.org_id, c.end_date::text AS end_date,
            (SELECT v.name FROM vendors v WHERE v.id = c.vendor_id) AS vendor`,
    );
    if (!due.length) return 0;
    const managers = await approverIds(tx);
    for (const c of due) {
      await notify(tx, {
        event: 'vendor.contract_expiring',
        userIds: managers,
        params: { number: c.number, title: c.title, vendor: c.vendor, date: c.end_date, days: daysBetween(today, c.end_date) },
        orgId: c.org_id === null ? null : Number(c.org_id),
        link: `/vendors/${c.vendor_id}`,
      });
    }
    return due.length;
  });
  return assetsSent + contractsSent;
}
