import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Card, Checkbox, Col, Flex, Form, Input, Modal, Popconfirm, Row, Select, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { CAUSE_CATEGORY_VALUES, type CauseCategory, type CiNode, type LinkedTicket, type Problem } from '@tianshu/contracts';
import { isApiError } from '../../app/api-client';
import { errorText, notifySuccess } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { MarkdownView } from '../../shared/markdown-view.component';
import { testId } from '../../shared/test-id';
import { CiMultiPicker } from '../cmdb/ci-picker.component';
import { TicketPicker } from './ticket-picker.component';
import { useLink, useSaveKnownError, useUnlink, useUpdateRca, type LinkKind } from './use-problems.query';

interface RcaForm {
  symptom: string;
  causeCategory: CauseCategory | null;
  rootCause: string;
  whys: string[];
  workaround: string;
  permanentFix: string;
}

/** Root cause analysis: symptom, cause category, root cause, 5 Whys, workaround, permanent fix. */
export function RcaCard({ problem, canEdit }: { problem: Problem; canEdit: boolean }) {
  const { t } = useTranslation();
  const d = problem.details;
  const [form] = Form.useForm<RcaForm>();
  const save = useUpdateRca(problem.ticket.id);
  const whys = [0, 1, 2, 3, 4].map((i) => d.fiveWhys[i] ?? '');
  const submit = async () => {
    const v = await form.validateFields();
    await save.mutateAsync({
      version: d.version,
      symptom: v.symptom ?? '',
      causeCategory: v.causeCategory ?? null,
      rootCause: v.rootCause ?? '',
      fiveWhys: (v.whys ?? []).map((w) => (w ?? '').trim()).filter((w) => w !== ''),
      workaround: v.workaround ?? '',
      permanentFix: v.permanentFix ?? '',
    });
    notifySuccess(t('problem.rca.saved'));
  };
  return (
    <Card size="small" title={t('problem.rca.title')} data-testid="problem-rca">
      {!d.rootCause.trim() || !d.causeCategory ? (
        <Alert type="warning" showIcon title={t('problem.rca.noRootCause')} style={{ marginBottom: 12 }} />
      ) : (
        d.rootCauseAt && <Typography.Paragraph type="secondary">{t('problem.rca.rootCauseAt', { at: formatDateTime(d.rootCauseAt) })}</Typography.Paragraph>
      )}
      {save.error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={isApiError(save.error, 'VERSION_CONFLICT') ? t('problem.rca.conflict') : errorText(save.error)}
          data-testid="problem-rca-error"
        />
      )}
      <Form<RcaForm>
        key={d.version}
        form={form}
        layout="vertical"
        disabled={!canEdit}
        initialValues={{ symptom: d.symptom, causeCategory: d.causeCategory, rootCause: d.rootCause, whys, workaround: d.workaround, permanentFix: d.permanentFix }}
      >
        <Form.Item name="symptom" label={t('problem.rca.symptom')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={20000} data-testid="rca-symptom" />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="causeCategory" label={t('problem.rca.causeCategory')}>
              <Select<CauseCategory>
                allowClear
                options={CAUSE_CATEGORY_VALUES.map((c) => ({ value: c, label: t(`problem.cause.${c}`) }))}
                optionRender={(option) => <span data-testid={`rca-cause-option-${option.value}`}>{option.label}</span>}
                data-testid="rca-cause"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item name="rootCause" label={t('problem.rca.rootCause')}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={20000} data-testid="rca-root-cause" />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Text strong>{t('problem.rca.fiveWhys')}</Typography.Text>
        {whys.map((_w, i) => (
          <Form.Item key={i} name={['whys', i]} style={{ marginBottom: 8, marginTop: i === 0 ? 8 : 0 }}>
            <Input addonBefore={t('problem.rca.why', { n: i + 1 })} maxLength={1000} data-testid={`rca-why-${i}`} />
          </Form.Item>
        ))}
        <Form.Item name="workaround" label={t('problem.rca.workaround')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={20000} data-testid="rca-workaround" />
        </Form.Item>
        <Form.Item name="permanentFix" label={t('problem.rca.permanentFix')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={20000} data-testid="rca-permanent-fix" />
        </Form.Item>
        {canEdit && (
          <Button type="primary" loading={save.isPending} onClick={() => void submit().catch(() => undefined)} data-testid="rca-save">
            {t('problem.rca.save')}
          </Button>
        )}
      </Form>
    </Card>
  );
}

/** A modal that links tickets or CIs of the problem's organisation. */
function LinkModal({ problem, kind, onClose }: { problem: Problem; kind: LinkKind; onClose: () => void }) {
  const { t } = useTranslation();
  const link = useLink(problem.ticket.id, kind);
  const [ids, setIds] = useState<number[]>([]);
  const title = kind === 'incidents' ? t('problem.incidents.addTitle') : kind === 'cis' ? t('problem.cis.addTitle') : t('problem.changes.addTitle');
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      onOk={() =>
        link.mutate(ids, {
          onSuccess: () => {
            notifySuccess(t('problem.incidents.linked'));
            onClose();
          },
        })
      }
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={link.isPending}
      okButtonProps={testId(`problem-link-${kind}-save`, { disabled: ids.length === 0 })}
      destroyOnHidden
    >
      {link.error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={errorText(link.error)} data-testid="problem-link-error" />}
      {kind === 'cis' ? (
        <CiMultiPicker value={ids} onChange={setIds} known={[]} testId="problem-link-cis" />
      ) : (
        <TicketPicker
          type={kind === 'incidents' ? 'incident' : 'change'}
          value={ids}
          onChange={setIds}
          orgId={problem.ticket.orgId}
          placeholder={kind === 'incidents' ? t('problem.form.incidentsPlaceholder') : t('problem.changes.placeholder')}
          testId={`problem-link-${kind}`}
        />
      )}
    </Modal>
  );
}

function RemoveButton({ problemId, kind, linkedId }: { problemId: number; kind: LinkKind; linkedId: number }) {
  const { t } = useTranslation();
  const unlink = useUnlink(problemId, kind);
  return (
    <Popconfirm title={t('problem.incidents.removeConfirm')} onConfirm={() => unlink.mutate(linkedId)} okText={t('common.ok')} cancelText={t('common.cancel')}>
      <Button size="small" type="text" danger icon={<DeleteOutlined />} loading={unlink.isPending} data-testid={`problem-unlink-${kind}-${linkedId}`} aria-label={t('problem.incidents.remove')} />
    </Popconfirm>
  );
}

function LinkedTicketTable({ problem, kind, items, pathPrefix, canEdit }: { problem: Problem; kind: 'incidents' | 'changes'; items: LinkedTicket[]; pathPrefix: string; canEdit: boolean }) {
  const { t } = useTranslation();
  return (
    <Table<LinkedTicket>
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={items}
      locale={{ emptyText: kind === 'incidents' ? t('problem.incidents.none') : t('problem.changes.none') }}
      onRow={(r) => testId(`problem-${kind}-row-${r.id}`, {})}
      columns={[
        { title: t('problem.field.number'), key: 'n', render: (_v, r) => <Link to={`${pathPrefix}/${r.id}`}>{r.number}</Link> },
        { title: t('problem.field.title'), key: 'title', dataIndex: 'title' },
        { title: t('problem.field.state'), key: 'state', render: (_v, r) => <Tag>{r.state}</Tag> },
        { title: t('problem.field.createdAt'), key: 'created', render: (_v, r) => formatDateTime(r.createdAt) },
        ...(canEdit ? [{ title: '', key: 'x', render: (_v: unknown, r: LinkedTicket) => <RemoveButton problemId={problem.ticket.id} kind={kind} linkedId={r.id} /> }] : []),
      ]}
      scroll={{ x: 'max-content' }}
    />
  );
}

export function ProblemIncidentsCard({ problem, canEdit }: { problem: Problem; canEdit: boolean }) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  return (
    <Card
      size="small"
      title={t('problem.incidents.title')}
      data-testid="problem-incidents"
      extra={
        canEdit && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="problem-link-incidents">
            {t('problem.incidents.add')}
          </Button>
        )
      }
    >
      <Typography.Paragraph data-testid="problem-occurrence">
        {t('problem.incidents.summary', {
          count: problem.incidentCount,
          first: formatDateTime(problem.firstOccurrenceAt) || '-',
          last: formatDateTime(problem.lastOccurrenceAt) || '-',
        })}
      </Typography.Paragraph>
      <LinkedTicketTable problem={problem} kind="incidents" items={problem.incidents} pathPrefix="/incidents" canEdit={canEdit} />
      {adding && <LinkModal problem={problem} kind="incidents" onClose={() => setAdding(false)} />}
    </Card>
  );
}

export function ProblemChangesCard({ problem, canEdit }: { problem: Problem; canEdit: boolean }) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  return (
    <Card
      size="small"
      title={t('problem.changes.title')}
      extra={
        canEdit && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="problem-link-changes">
            {t('problem.changes.add')}
          </Button>
        )
      }
    >
      <LinkedTicketTable problem={problem} kind="changes" items={problem.changes} pathPrefix="/changes" canEdit={canEdit} />
      {adding && <LinkModal problem={problem} kind="changes" onClose={() => setAdding(false)} />}
    </Card>
  );
}

export function ProblemCisCard({ problem, canEdit }: { problem: Problem; canEdit: boolean }) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  return (
    <Card
      size="small"
      title={t('problem.cis.title')}
      data-testid="problem-cis"
      extra={
        canEdit && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="problem-link-cis-open">
            {t('problem.cis.add')}
          </Button>
        )
      }
    >
      {problem.cis.length === 0 ? (
        <Typography.Text type="secondary">{t('problem.cis.none')}</Typography.Text>
      ) : (
        <Flex vertical gap={4}>
          {problem.cis.map((c) => (
            <Flex key={c.id} justify="space-between" align="center" data-testid={`problem-ci-${c.id}`}>
              <Link to={`/cmdb/cis/${c.id}`}>{c.name}</Link>
              {canEdit && <RemoveButton problemId={problem.ticket.id} kind="cis" linkedId={c.id} />}
            </Flex>
          ))}
        </Flex>
      )}
      {adding && <LinkModal problem={problem} kind="cis" onClose={() => setAdding(false)} />}
    </Card>
  );
}

/** The problem's CIs as picker labels. */
function knownCis(problem: Problem): CiNode[] {
  return problem.cis.map((c) => ({
    id: c.id,
    name: c.name,
    classId: 0,
    classKey: '',
    className: '-',
    orgId: problem.ticket.orgId,
    importance: c.importance as CiNode['importance'],
    status: c.status as CiNode['status'],
  }));
}

interface KeForm {
  title: string;
  symptom: string;
  cause: string;
  workaround: string;
  ciIds: number[];
  shared: boolean;
}

function KnownErrorModal({ problem, onClose }: { problem: Problem; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<KeForm>();
  const save = useSaveKnownError(problem.ticket.id);
  const ke = problem.knownError;
  const d = problem.details;
  const submit = async () => {
    const v = await form.validateFields();
    const p = await save.mutateAsync({
      title: v.title.trim(),
      symptom: v.symptom,
      cause: v.cause,
      workaround: v.workaround,
      ciIds: v.ciIds ?? [],
      shared: v.shared ?? false,
      ...(ke ? { version: ke.version } : {}),
    });
    notifySuccess(t('problem.knownError.published', { number: p.knownError?.articleNumber ?? '' }));
    onClose();
  };
  return (
    <Modal
      open
      title={t('problem.knownError.editorTitle')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('problem.knownError.publish')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      okButtonProps={testId('ke-publish', {})}
      width={720}
      destroyOnHidden
    >
      {save.error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={errorText(save.error)} data-testid="ke-error" />}
      <Form<KeForm>
        form={form}
        layout="vertical"
        data-testid="ke-form"
        initialValues={{
          title: ke?.title ?? problem.ticket.title,
          symptom: ke?.symptom ?? (d.symptom || problem.ticket.description),
          cause: ke?.cause ?? d.rootCause,
          workaround: ke?.workaround ?? d.workaround,
          ciIds: ke?.ciIds ?? problem.cis.map((c) => c.id),
          shared: ke?.shared ?? false,
        }}
      >
        <Form.Item name="title" label={t('problem.knownError.articleTitle')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={200} data-testid="ke-title" />
        </Form.Item>
        <Form.Item name="symptom" label={t('problem.knownError.symptom')} rules={[{ required: true, whitespace: true, message: t('problem.knownError.requiredSymptom') }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={20000} data-testid="ke-symptom" />
        </Form.Item>
        <Form.Item name="cause" label={t('problem.knownError.cause')} rules={[{ required: true, whitespace: true, message: t('problem.knownError.requiredCause') }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={20000} data-testid="ke-cause" />
        </Form.Item>
        <Form.Item name="workaround" label={t('problem.knownError.workaround')} rules={[{ required: true, whitespace: true, message: t('problem.knownError.requiredWorkaround') }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={20000} data-testid="ke-workaround" />
        </Form.Item>
        <Form.Item name="ciIds" label={t('problem.knownError.cis')}>
          <CiMultiPicker known={knownCis(problem)} testId="ke-cis" />
        </Form.Item>
        <Form.Item name="shared" valuePropName="checked" extra={t('problem.knownError.sharedHelp')}>
          <Checkbox data-testid="ke-shared">{t('problem.knownError.shared')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The problem's known error: what it says, its knowledge article, and the editor that publishes it. */
export function KnownErrorCard({ problem, canEdit }: { problem: Problem; canEdit: boolean }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const ke = problem.knownError;
  return (
    <Card
      size="small"
      title={t('problem.knownError.title')}
      data-testid="problem-known-error"
      extra={
        canEdit && (
          <Button size="small" type={ke ? 'default' : 'primary'} onClick={() => setEditing(true)} data-testid="ke-edit">
            {ke ? t('problem.knownError.edit') : t('problem.knownError.create')}
          </Button>
        )
      }
    >
      {ke ? (
        <Flex vertical gap={8}>
          <Link to={`/knowledge/${ke.articleId}`} data-testid="ke-article-link">
            <Tag color="gold">{ke.articleNumber}</Tag> {ke.title}
          </Link>
          <MarkdownView source={`**${t('problem.knownError.symptom')}**: ${ke.symptom}\n\n**${t('problem.knownError.cause')}**: ${ke.cause}\n\n**${t('problem.knownError.workaround')}**: ${ke.workaround}`} />
        </Flex>
      ) : (
        <Typography.Text type="secondary">{t('problem.knownError.none')}</Typography.Text>
      )}
      {editing && <KnownErrorModal problem={problem} onClose={() => setEditing(false)} />}
    </Card>
  );
}
