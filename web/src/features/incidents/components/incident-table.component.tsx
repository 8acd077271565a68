import { Link, useNavigate } from 'react-router';
import { Card, Empty, Flex, List, Pagination, Table, Tag, Typography } from 'antd';
import type { TableColumnsType, TableProps } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TicketSummary } from '@tianshu/contracts';
import { formatDateTime } from '../../../shared/format';
import { PriorityTag, StateTag } from '../../../shared/incident-tags.component';
import { testId } from '../../../shared/test-id';
import { useIsMobile } from '../../../shared/use-is-mobile';
import { SlaBadge } from '../../sla/sla-badge.component';
import type { IncidentSort } from '../incident-list-params';

interface IncidentTableProps {
  items: TicketSummary[];
  total: number;
  /** The server stopped counting at `total`. */
  totalCapped: boolean;
  page: number;
  pageSize: number;
  sort: IncidentSort;
  loading: boolean;
  showOrg: boolean;
  /** The SLA badge column (users with sla.read; the server sends the badge to them only). */
  showSla: boolean;
  onPage: (page: number, pageSize: number) => void;
  onSort: (sort: IncidentSort) => void;
  /** Row selection for bulk actions (e.g. a problem from the selected incidents); absent: no checkboxes. */
  selectedIds?: number[];
  onSelect?: (ids: number[], rows: TicketSummary[]) => void;
}

type SortField = 'number' | 'priority' | 'createdAt' | 'updatedAt';

function sortOrder(sort: IncidentSort, field: SortField): 'ascend' | 'descend' | null {
  if (sort === field) return 'ascend';
  if (sort === `-${field}`) return 'descend';
  return null;
}

export function IncidentTable(props: IncidentTableProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const isMobile = useIsMobile();
  const showTotal = (total: number) => (props.totalCapped ? t('common.totalCapped', { count: total }) : t('common.total', { count: total }));

  if (isMobile) {
    // Phone layout: one card per incident, tapping it opens the detail.
    return (
      <>
        <List
          loading={props.loading}
          dataSource={props.items}
          locale={{ emptyText: <Empty description={t('incident.empty')} /> }}
          renderItem={(ticket) => (
            <List.Item style={{ padding: '4px 0', borderBlockEnd: 'none' }}>
              <Card size="small" style={{ width: '100%' }} hoverable onClick={() => navigate(`/incidents/${ticket.id}`)} data-testid={`incident-row-${ticket.number}`}>
                <Flex justify="space-between" align="center" gap={8}>
                  <Link to={`/incidents/${ticket.id}`} onClick={(event) => event.stopPropagation()}>
                    {ticket.number}
                  </Link>
                  <span>
                    {props.showSla && ticket.sla && <SlaBadge badge={ticket.sla} testId={`sla-badge-${ticket.number}`} />}{' '}
                    <PriorityTag priority={ticket.priority} />
                    <StateTag state={ticket.state} />
                  </span>
                </Flex>
                <Typography.Paragraph strong ellipsis={{ rows: 2 }} style={{ margin: '6px 0' }}>
                  {ticket.major && <Tag color="red">{t('incident.field.major')}</Tag>}
                  {ticket.title}
                </Typography.Paragraph>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {[props.showOrg ? ticket.orgName : null, ticket.assigneeName ?? ticket.assignmentGroupName, formatDateTime(ticket.updatedAt)]
                    .filter(Boolean)
                    .join(' · ')}
                </Typography.Text>
              </Card>
            </List.Item>
          )}
        />
        <Pagination
          simple
          current={props.page}
          pageSize={props.pageSize}
          total={props.total}
          showTotal={showTotal}
          onChange={props.onPage}
          style={{ marginTop: 12, textAlign: 'center' }}
        />
      </>
    );
  }

  const columns: TableColumnsType<TicketSummary> = [
    {
      title: t('incident.field.number'),
      dataIndex: 'number',
      key: 'number',
      sorter: true,
      sortOrder: sortOrder(props.sort, 'number'),
      width: 130,
      render: (_value, ticket) => (
        <Link to={`/incidents/${ticket.id}`} data-testid={`incident-link-${ticket.number}`}>
          {ticket.number}
        </Link>
      ),
    },
    {
      title: t('incident.field.title'),
      dataIndex: 'title',
      key: 'title',
      ellipsis: true,
      render: (_value, ticket) => (
        <>
          {ticket.major && <Tag color="red">{t('incident.field.major')}</Tag>}
          {ticket.title}
        </>
      ),
    },
    {
      title: t('incident.field.priority'),
      dataIndex: 'priority',
      key: 'priority',
      sorter: true,
      sortOrder: sortOrder(props.sort, 'priority'),
      width: 105,
      render: (priority: number) => <PriorityTag priority={priority} />,
    },
    {
      title: t('incident.field.state'),
      dataIndex: 'state',
      key: 'state',
      width: 90,
      render: (_value, ticket) => <StateTag state={ticket.state} />,
    },
    ...(props.showSla
      ? [
          {
            title: t('sla.column'),
            key: 'sla',
            width: 150,
            render: (_value: unknown, ticket: TicketSummary) =>
              ticket.sla ? <SlaBadge badge={ticket.sla} testId={`sla-badge-${ticket.number}`} /> : <Typography.Text type="secondary">{t('common.none')}</Typography.Text>,
          },
        ]
      : []),
    ...(props.showOrg ? [{ title: t('incident.field.orgName'), dataIndex: 'orgName', key: 'orgName', width: 160, ellipsis: true }] : []),
    { title: t('incident.field.assignmentGroupName'), dataIndex: 'assignmentGroupName', key: 'group', width: 110, ellipsis: true },
    { title: t('incident.field.assigneeName'), dataIndex: 'assigneeName', key: 'assignee', width: 110, ellipsis: true },
    {
      title: t('incident.field.createdAt'),
      dataIndex: 'createdAt',
      key: 'createdAt',
      sorter: true,
      sortOrder: sortOrder(props.sort, 'createdAt'),
      width: 145,
      render: formatDateTime,
    },
    {
      title: t('incident.field.updatedAt'),
      dataIndex: 'updatedAt',
      key: 'updatedAt',
      sorter: true,
      sortOrder: sortOrder(props.sort, 'updatedAt'),
      width: 145,
      // Only on wide screens: the title column needs the room more.
      responsive: ['xxl'],
      render: formatDateTime,
    },
  ];

  const onChange: TableProps<TicketSummary>['onChange'] = (pagination, _filters, sorter, extra) => {
    if (extra.action === 'sort') {
      const single = Array.isArray(sorter) ? sorter[0] : sorter;
      const field = single?.columnKey as SortField | undefined;
      if (!field || !single?.order) props.onSort('-createdAt');
      else props.onSort(single.order === 'ascend' ? field : `-${field}`);
    } else if (extra.action === 'paginate') {
      props.onPage(pagination.current ?? 1, pagination.pageSize ?? props.pageSize);
    }
  };

  return (
    <Table<TicketSummary>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={props.items}
      loading={props.loading}
      onChange={onChange}
      // Fixed minimum width: columns keep their widths, the title takes the rest, narrower screens scroll.
      scroll={{ x: 1100 }}
      locale={{ emptyText: <Empty description={t('incident.empty')} /> }}
      onRow={(ticket) =>
        testId(`incident-row-${ticket.number}`, {
          // A click on the selection checkbox selects; anywhere else opens the incident.
          onClick: (e: React.MouseEvent<HTMLElement>) => {
            if (!(e.target as HTMLElement).closest('.ant-table-selection-column')) navigate(`/incidents/${ticket.id}`);
          },
          style: { cursor: 'pointer' },
        })
      }
      rowSelection={
        props.onSelect
          ? { selectedRowKeys: props.selectedIds ?? [], preserveSelectedRowKeys: true, onChange: (keys, rows) => props.onSelect?.(keys.map(Number), rows) }
          : undefined
      }
      pagination={{
        current: props.page,
        pageSize: props.pageSize,
        total: props.total,
        showSizeChanger: true,
        showTotal,
      }}
    />
  );
}
