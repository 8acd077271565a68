// `seed --demo`, continued: a small bank data centre in the CMDB, its assets, a vendor with a maintenance contract,
// and spare parts, all through the services (validation, versions and audit rows as in real use).
import {
  createAssetRequestSchema,
  createCiRequestSchema,
  createSparePartMovementRequestSchema,
  createSparePartRequestSchema,
  createVendorContractRequestSchema,
  createVendorRequestSchema,
  type CreateCiRequest,
} from '@tianshu/contracts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/db.ts';
import { createAsset } from '../modules/assets/assets.service.ts';
import { createPart, recordMovement } from '../modules/assets/spare-parts.service.ts';
import { createCi } from '../modules/cmdb/ci-items.service.ts';
import { listClasses } from '../modules/cmdb/ci-classes.service.ts';
import { createRelation, listRelationTypes } from '../modules/cmdb/cmdb-relations.service.ts';
import { createContract, createVendor } from '../modules/vendors/vendors.service.ts';

/** Dates relative to today, so the demo always has a warranty about to end. */
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export async function seedDemoCmdb(db: Db, actors: { admin: Actor; manager: Actor }, bankId: number): Promise<void> {
  const classes = new Map((await listClasses(db)).map((c) => [c.key, c.id]));
  const types = new Map((await listRelationTypes(db)).map((t) => [t.key, t.id]));
  const classId = (key: string) => {
    const id = classes.get(key);
    if (id === undefined) throw new Error(`built-in class ${key} missing`);
    return id;
  };
  const ci = async (key: string, body: Omit<CreateCiRequest, 'classId' | 'orgId'>) =>
    createCi(db, actors.manager, createCiRequestSchema.parse({ classId: classId(key), orgId: bankId, status: 'in_use', ...body }));
  const relate = async (type: string, fromCiId: number, toCiId: number) => {
    const typeId = types.get(type);
    if (typeId === undefined) throw new Error(`relation type ${type} missing`);
    await createRelation(db, actors.manager, { typeId, fromCiId, toCiId });
  };

  // 网上银行 depends on the e-banking application, which runs on two VMs and a database; the VMs run on one
  // physical server in one rack: the impact graph of the service reaches all of it.
  const service = await ci('business_service', { name: '网上银行', importance: 'core' });
  const app = await ci('application', { name: '网银核心应用', importance: 'core' });
  const vm1 = await ci('server.vm', { name: 'ebank-app-01', hostname: 'ebank-app-01', ip: '10.8.1.11', importance: 'important' });
  const vm2 = await ci('server.vm', { name: 'ebank-app-02', hostname: 'ebank-app-02', ip: '10.8.1.12', importance: 'important' });
  const database = await ci('database', { name: '网银数据库', hostname: 'ebank-db-01', ip: '10.8.1.21', importance: 'core', attributes: { db_type: '达梦 DM' } });
  const host = await ci('server.physical', { name: 'DC1-A03-SRV07', serialNumber: 'DEMO-SN-210235A2', importance: 'core' });
  const rack = await ci('rack', { attributes: { room_code: 'DC1', rack_no: 'A03' }, importance: 'important' });
  await relate('depends_on', service.id, app.id);
  await relate('runs_on', app.id, vm1.id);
  await relate('runs_on', app.id, vm2.id);
  await relate('depends_on', app.id, database.id);
  await relate('runs_on', database.id, host.id);
  await relate('runs_on', vm1.id, host.id);
  await relate('runs_on', vm2.id, host.id);
  await relate('contains', rack.id, host.id);

  // The server's vendor and its maintenance (维保) contract, ending in 20 days: the warranty reminder has work.
  const vendor = await createVendor(
    db,
    actors.admin,
    createVendorRequestSchema.parse({
      name: '示例服务器制造有限公司',
      kind: 'hardware',
      address: '北京市海淀区示例路 1 号',
      contacts: [{ name: '王工', role: '驻场工程师', phone: '13800000001', email: 'wang@example.com', primary: true }],
    }),
  );
  const contract = await createContract(
    db,
    actors.admin,
    createVendorContractRequestSchema.parse({
      vendorId: vendor.id,
      orgId: bankId,
      number: 'DEMO-WB-2026-001',
      title: '数据中心服务器维保合同',
      kind: 'maintenance',
      startDate: day(-345),
      endDate: day(20),
      amount: '86000.00',
      serviceLevel: { coverage: '7x24', responseHours: 0.5, onsiteHours: 4, resolutionHours: 24 },
    }),
  );
  await createAsset(
    db,
    actors.manager,
    createAssetRequestSchema.parse({
      name: '网银物理服务器 DC1-A03-SRV07',
      orgId: bankId,
      ciId: host.id,
      status: 'in_use',
      category: '服务器',
      model: '2U 双路服务器',
      manufacturer: '示例服务器制造',
      serialNumber: 'DEMO-SN-210235A2',
      department: '信息科技部',
      location: 'DC1 机房 A03 机柜',
      importance: 'core',
      purchaseDate: day(-700),
      purchasePrice: '128000.00',
      warrantyEnd: day(25),
      vendorId: vendor.id,
      contractId: contract.id,
    }),
  );

  // Spare parts: disks below their minimum after today's replacement, so the list shows the warning.
  const disk = await createPart(
    db,
    actors.manager,
    createSparePartRequestSchema.parse({ partNumber: 'DEMO-HDD-1.2T', name: '1.2TB SAS 硬盘', category: '硬盘', unit: '块', minStock: 4 }),
  );
  await recordMovement(db, actors.manager, disk.id, createSparePartMovementRequestSchema.parse({ kind: 'in', quantity: 5, toLocation: 'DC1 备件柜', reason: '年度备件采购' }));
  await recordMovement(db, actors.manager, disk.id, createSparePartMovementRequestSchema.parse({ kind: 'out', quantity: 2, fromLocation: 'DC1 备件柜', reason: '更换 DC1-A03-SRV07 故障硬盘' }));
}
