import type { ReactNode } from 'react';
import { Tag } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { CiClass, CiEffectiveAttribute, CiImportance, CiStatus } from './cmdb-types';

const IMPORTANCE_COLOR: Record<CiImportance, string> = { core: 'red', important: 'orange', normal: 'default' };
const STATUS_COLOR: Record<CiStatus, string> = { planned: 'blue', in_use: 'green', maintenance: 'gold', retired: 'default' };

export function ImportanceTag({ importance }: { importance: CiImportance }) {
  const { t } = useTranslation();
  return (
    <Tag color={IMPORTANCE_COLOR[importance]} data-testid="cmdb-importance">
      {t(`cmdb.importanceValues.${importance}`)}
    </Tag>
  );
}

export function CiStatusTag({ status }: { status: CiStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="cmdb-status">
      {t(`cmdb.statusValues.${status}`)}
    </Tag>
  );
}

export interface ClassTreeNode {
  key: number;
  title: ReactNode;
  cls: CiClass;
  children: ClassTreeNode[];
}

/** Classes as a tree by parentId, siblings by name. */
export function buildClassTree(classes: readonly CiClass[], title: (c: CiClass) => ReactNode = (c) => c.name): ClassTreeNode[] {
  const nodes = new Map<number, ClassTreeNode>();
  for (const c of classes) nodes.set(c.id, { key: c.id, title: title(c), cls: c, children: [] });
  const roots: ClassTreeNode[] = [];
  for (const c of classes) {
    const node = nodes.get(c.id);
    if (!node) continue;
    const parent = c.parentId === null ? undefined : nodes.get(c.parentId);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (list: ClassTreeNode[]) => {
    list.sort((a, b) => a.cls.name.localeCompare(b.cls.name, 'zh-CN'));
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** A stored attribute value as text. */
export function useAttributeText() {
  const { t } = useTranslation();
  return (attr: CiEffectiveAttribute | undefined, value: unknown): ReactNode => {
    if (value === null || value === undefined || value === '') return t('common.none');
    if (attr?.type === 'boolean') return value ? t('cmdb.yes') : t('cmdb.no');
    if (attr?.type === 'reference' && typeof value === 'number') return <Link to={`/cmdb/cis/${value}`}>#{value}</Link>;
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value as string | number);
  };
}
