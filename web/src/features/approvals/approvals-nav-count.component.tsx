import { useQuery } from '@tanstack/react-query';
import { Badge } from 'antd';
import type { MyApprovals } from '@tianshu/contracts';
import { api } from '../../app/api-client';
import { approvalKeys } from './use-approvals.query';

/** The number of approvals waiting for the signed-in user, next to the "My approvals" menu item. */
export function ApprovalsNavCount() {
  const count = useQuery({
    queryKey: [...approvalKeys.all, 'count'],
    queryFn: ({ signal }) => api.get<MyApprovals>('/api/approvals/mine', { state: 'pending', limit: 1 }, signal),
    select: (r) => r.pendingCount,
    refetchInterval: 60_000,
    meta: { silent: true },
  });
  if (!count.data) return null;
  return <Badge count={count.data} size="small" style={{ marginInlineStart: 8 }} data-testid="nav-approvals-count" />;
}
