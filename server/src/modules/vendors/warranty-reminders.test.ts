import { and, count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useTestWorld } from '../../test/test-app.ts';
import { uniq } from '../../test/factories.ts';
import { notifications } from '../notifications/notifications.tables.ts';
import { assets } from '../assets/assets.tables.ts';
import { vendorContracts, vendors } from './vendors.tables.ts';
import { sweepWarrantyReminders } from './warranty-reminders.ts';

const world = useTestWorld();
const db = () => world.t.database.db;

// A fixed day years ahead, so assets made by other test files (dated from today) stay outside the window.
const NOW = new Date('2031-03-01T02:00:00Z'); // 10:00 in Shanghai
const later = (days: number) => new Date(NOW.getTime() + days * 86_400_000);

type AssetStatus = (typeof assets.$inferSelect)['status'];
async function makeAsset(warrantyEnd: string | null, status: AssetStatus = 'in_use') {
  const [row] = await db().insert(assets).values({ assetTag: uniq('WR-'), name: '核心交换机', orgId: world.w.custA.id, status, warrantyEnd }).returning();
  if (!row) throw new Error('no asset');
  return row;
}

const reminders = async (event: string, link: string) =>
  (
    await db()
      .select({ n: count() })
      .from(notifications)
      .where(and(eq(notifications.userId, world.w.users.manager.id), eq(notifications.event, event), eq(notifications.link, link)))
  )[0]?.n;

describe('warranty reminders', () => {
  it('reminds once per warranty end date within 30 days, across concurrent sweeps, and re-arms on a new date', async () => {
    const soon = await makeAsset('2031-03-21');
    const far = await makeAsset('2031-04-10');
    const retired = await makeAsset('2031-03-10', 'retired');
    const past = await makeAsset('2031-02-28');
    const none = await makeAsset(null);

    const sent = await Promise.all([sweepWarrantyReminders(db(), NOW), sweepWarrantyReminders(db(), NOW)]);
    expect(sent[0] + sent[1]).toBeGreaterThanOrEqual(1);
    await sweepWarrantyReminders(db(), NOW);
    expect(await reminders('asset.warranty', `/assets/${soon.id}`)).toBe(1);
    for (const a of [far, retired, past, none]) expect(await reminders('asset.warranty', `/assets/${a.id}`)).toBe(0);
    const [marked] = await db().select({ m: assets.warrantyRemindedFor, v: assets.version }).from(assets).where(eq(assets.id, soon.id));
    expect(marked).toEqual({ m: '2031-03-21', v: 1 });
    const [body] = await db().select({ title: notifications.title }).from(notifications).where(and(eq(notifications.event, 'asset.warranty'), eq(notifications.link, `/assets/${soon.id}`)));
    expect(body?.title).toContain(soon.assetTag);

    // Twelve days on, the far one enters the window; the soon one is not reminded again.
    await sweepWarrantyReminders(db(), later(12));
    expect(await reminders('asset.warranty', `/assets/${far.id}`)).toBe(1);
    expect(await reminders('asset.warranty', `/assets/${soon.id}`)).toBe(1);

    // A renewed warranty that ends soon again re-arms the reminder.
    await db().update(assets).set({ warrantyEnd: '2031-03-25' }).where(eq(assets.id, soon.id));
    await sweepWarrantyReminders(db(), NOW);
    await sweepWarrantyReminders(db(), NOW);
    expect(await reminders('asset.warranty', `/assets/${soon.id}`)).toBe(2);
  });

  it('reminds once for a vendor contract ending within 30 days', async () => {
    const [v] = await db().insert(vendors).values({ name: uniq('合同提醒-') }).returning();
    if (!v) throw new Error('no vendor');
    const [c] = await db()
      .insert(vendorContracts)
      .values({ vendorId: v.id, number: uniq('HT-'), title: '机房运维服务', kind: 'service', startDate: '2030-04-01', endDate: '2031-03-15' })
      .returning();
    if (!c) throw new Error('no contract');
    await Promise.all([sweepWarrantyReminders(db(), NOW), sweepWarrantyReminders(db(), NOW)]);
    await sweepWarrantyReminders(db(), later(1));
    expect(await reminders('vendor.contract_expiring', `/vendors/${v.id}`)).toBe(1);
    await db().update(vendorContracts).set({ endDate: '2031-03-20' }).where(eq(vendorContracts.id, c.id));
    await sweepWarrantyReminders(db(), NOW);
    expect(await reminders('vendor.contract_expiring', `/vendors/${v.id}`)).toBe(2);
    // Nothing left to send: the sweep reports zero so the job loop stops.
    expect(await sweepWarrantyReminders(db(), NOW)).toBe(0);
  });
});
