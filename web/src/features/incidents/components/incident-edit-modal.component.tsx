import { Col, Form, Input, Modal, Row, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Ticket, UpdateTicketRequest } from '@tianshu/contracts';
import { isApiError } from '../../../app/api-client';
import { notifySuccess } from '../../../app/notifier';
import { LEVELS } from '../../../shared/enums';
import { levelLabel } from '../../../shared/labels';
import { MarkdownEditor } from '../../../shared/markdown-editor.component';
import { testId } from '../../../shared/test-id';
import { useGroups } from '../../../shared/use-directory.query';
import { useIsMobile } from '../../../shared/use-is-mobile';
import { UserLookupSelect } from '../../../shared/user-lookup-select.component';
import { useUpdateIncident } from '../use-incident.mutations';

interface EditForm {
  title: string;
  description: string;
  impact: number;
  urgency: number;
  category: string;
  service: string;
  major: boolean;
  assignmentGroupId: number | null;
  assigneeId: number | null;
}

function toForm(ticket: Ticket): EditForm {
  return {
    title: ticket.title,
    description: ticket.description,
    impact: ticket.impact,
    urgency: ticket.urgency,
    category: ticket.category ?? '',
    service: ticket.service ?? '',
    major: ticket.major,
    assignmentGroupId: ticket.assignmentGroupId,
    assigneeId: ticket.assigneeId,
  };
}

/** Only changed fields are sent, so a concurrent edit of another field is not overwritten. */
function diff(ticket: Ticket, values: EditForm): Omit<UpdateTicketRequest, 'version'> {
  const before = toForm(ticket);
  const patch: Omit<UpdateTicketRequest, 'version'> = {};
  if (values.title.trim() !== before.title) patch.title = values.title.trim();
  if (values.description !== before.description) patch.description = values.description;
  if (values.impact !== before.impact) patch.impact = values.impact;
  if (values.urgency !== before.urgency) patch.urgency = values.urgency;
  if (values.category.trim() !== before.category) patch.category = values.category.trim() || null;
  if (values.service.trim() !== before.service) patch.service = values.service.trim() || null;
  if (values.major !== before.major) patch.major = values.major;
  if ((values.assignmentGroupId ?? null) !== before.assignmentGroupId) patch.assignmentGroupId = values.assignmentGroupId ?? null;
  if ((values.assigneeId ?? null) !== before.assigneeId) patch.assigneeId = values.assigneeId ?? null;
  return patch;
}

interface IncidentEditModalProps {
  ticket: Ticket;
  open: boolean;
  onClose: () => void;
  onConflict: () => void;
}

export function IncidentEditModal({ ticket, open, onClose, onConflict }: IncidentEditModalProps) {
  const { t } = useTranslation();
  const isMobile = useIsMobile();
  const [form] = Form.useForm<EditForm>();
  const update = useUpdateIncident(ticket.id);
  const groups = useGroups(open);
  const groupId = Form.useWatch('assignmentGroupId', form) ?? undefined;
  const levelOptions = LEVELS.map((level) => ({ value: level, label: levelLabel(t, level) }));

  const submit = async () => {
    const values = await form.validateFields();
    const patch = diff(ticket, values);
    if (Object.keys(patch).length === 0) {
      notifySuccess(t('incident.detail.noChanges'));
      onClose();
      return;
    }
    try {
      await update.mutateAsync({ version: ticket.version, ...patch });
      notifySuccess(t('incident.detail.updated'));
      onClose();
    } catch (error) {
      if (isApiError(error, 'VERSION_CONFLICT')) {
        onClose();
        onConflict();
      }
    }
  };

  return (
    <Modal
      open={open}
      title={t('incident.detail.editTitle', { number: ticket.number })}
      width={isMobile ? '100%' : 760}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={update.isPending}
      okButtonProps={testId('modal-ok', {})}
      destroyOnHidden
    >
      <Form<EditForm> form={form} layout="vertical" preserve={false} initialValues={toForm(ticket)}>
        <Form.Item name="title" label={t('incident.field.title')} rules={[{ required: true, whitespace: true, message: t('incident.form.titleRequired') }]}>
          <Input maxLength={200} data-testid="edit-title" />
        </Form.Item>
        <Form.Item name="description" label={t('incident.field.description')}>
          <MarkdownEditor rows={5} maxLength={20000} testId="edit-description" />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={12} md={6}>
            <Form.Item name="impact" label={t('incident.field.impact')}>
              <Select options={levelOptions} data-testid="edit-impact" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="urgency" label={t('incident.field.urgency')}>
              <Select options={levelOptions} data-testid="edit-urgency" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="major" label={t('incident.field.major')} valuePropName="checked">
              <Switch data-testid="edit-major" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="category" label={t('incident.field.category')}>
              <Input maxLength={100} data-testid="edit-category" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="service" label={t('incident.field.service')}>
              <Input maxLength={100} data-testid="edit-service" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="assignmentGroupId" label={t('incident.field.assignmentGroupId')}>
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                options={(groups.data ?? [])
                  .filter((group) => group.orgIds.length === 0 || group.orgIds.includes(ticket.orgId))
                  .map((group) => ({ value: group.id, label: group.name }))}
                onChange={() => form.setFieldValue('assigneeId', null)}
                data-testid="edit-group"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="assigneeId" label={t('incident.field.assigneeId')}>
              <UserLookupSelect groupId={groupId} currentLabel={ticket.assigneeName} placeholder={t('incident.form.assigneePlaceholder')} testId="edit-assignee" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
