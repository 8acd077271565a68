import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Card, Flex, Modal, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '@tianshu/contracts';
import { errorText, notifySuccess } from '../../app/notifier';
import { testId } from '../../shared/test-id';
import { ProblemFormModal } from './problem-form-modal.component';
import { TicketPicker } from './ticket-picker.component';
import { useIncidentProblem, useLinkIncidentTo } from './use-problems.query';

function LinkToProblemModal({ incident, onClose }: { incident: Ticket; onClose: () => void }) {
  const { t } = useTranslation();
  const link = useLinkIncidentTo();
  const [ids, setIds] = useState<number[]>([]);
  return (
    <Modal
      open
      title={t('problem.incidentCard.linkTitle')}
      onCancel={onClose}
      onOk={() => {
        const problemId = ids[0];
        if (!problemId) return;
        link.mutate(
          { problemId, incidentId: incident.id },
          {
            onSuccess: () => {
              notifySuccess(t('problem.incidentCard.linkedDone'));
              onClose();
            },
          },
        );
      }}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={link.isPending}
      okButtonProps={testId('incident-problem-link-save', { disabled: ids.length === 0 })}
      destroyOnHidden
    >
      {link.error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={errorText(link.error)} data-testid="incident-problem-link-error" />}
      <TicketPicker type="problem" single value={ids} onChange={setIds} orgId={incident.orgId} placeholder={t('problem.incidentCard.problemPlaceholder')} testId="incident-problem-picker" />
    </Modal>
  );
}

/** On an incident page: the problem it is linked to, or "link to problem" / "new problem". */
export function IncidentProblemCard({ incident }: { incident: Ticket }) {
  const { t } = useTranslation();
  const problem = useIncidentProblem(incident.id);
  const [linking, setLinking] = useState(false);
  const [creating, setCreating] = useState(false);
  const linked = problem.data?.problem;
  return (
    <Card size="small" title={t('problem.incidentCard.title')} loading={problem.isPending} data-testid="incident-problem">
      {linked ? (
        <Flex vertical gap={4}>
          <Typography.Text type="secondary">{t('problem.incidentCard.linkedTo')}</Typography.Text>
          <Link to={`/problems/${linked.id}`} data-testid="incident-problem-link">
            <Tag>{linked.number}</Tag> {linked.title}
          </Link>
        </Flex>
      ) : (
        <Flex vertical gap={8}>
          <Typography.Text type="secondary">{t('problem.incidentCard.none')}</Typography.Text>
          <Flex wrap gap={8}>
            <Button size="small" onClick={() => setLinking(true)} data-testid="incident-problem-link-open">
              {t('problem.incidentCard.link')}
            </Button>
            <Button size="small" onClick={() => setCreating(true)} data-testid="incident-problem-new">
              {t('problem.incidentCard.newProblem')}
            </Button>
          </Flex>
        </Flex>
      )}
      {linking && <LinkToProblemModal incident={incident} onClose={() => setLinking(false)} />}
      {creating && (
        <ProblemFormModal
          onClose={() => setCreating(false)}
          initial={{ incidentIds: [incident.id], known: [{ id: incident.id, number: incident.number, title: incident.title }], orgId: incident.orgId, title: incident.title }}
        />
      )}
    </Card>
  );
}
