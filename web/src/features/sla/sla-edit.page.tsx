import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert, Button, Col, Flex, Result, Row, Skeleton, Space, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, ReloadOutlined, SaveOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../app/api-client';
import { errorText, notifySuccess } from '../../app/notifier';
import { formatDateTime } from '../../shared/format';
import { useIsMobile } from '../../shared/use-is-mobile';
import { SlaDefinitionForm } from './sla-definition-form.component';
import { createRequest, draftFromDefinition, draftProblems, emptyDraft, type SlaDraft, updateRequest } from './sla-draft';
import { SlaReplayCard } from './sla-replay-card.component';
import type { SlaDefinition } from './sla-types';
import { SlaVersionsCard } from './sla-versions-card.component';
import { useCreateSla, useUpdateSla } from './use-sla.mutation';
import { slaKeys, useSlaDefinition } from './use-sla.query';

function SaveBar({ error, saving, dirty, onSave, onReset }: { error: string | null; saving: boolean; dirty: boolean; onSave: () => void; onReset?: () => void }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={8}>
      {error && <Alert type="error" showIcon title={error} data-testid="sla-save-error" />}
      <Flex wrap gap={8} align="center">
        <Button type="primary" icon={<SaveOutlined />} loading={saving} disabled={!dirty} onClick={onSave} data-testid="sla-save">
          {t('common.save')}
        </Button>
        {onReset && (
          <Button disabled={!dirty} onClick={onReset} data-testid="sla-reset">
            {t('common.reset')}
          </Button>
        )}
        {dirty && onReset && <Typography.Text type="warning">{t('sla.unsaved')}</Typography.Text>}
      </Flex>
    </Flex>
  );
}

function BackLink() {
  const { t } = useTranslation();
  return (
    <Link to="/settings/sla" aria-label={t('sla.backToList')}>
      <ArrowLeftOutlined />
    </Link>
  );
}

/** /settings/sla/new: the whole form; saving opens the new definition. */
export function SlaNewPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const isMobile = useIsMobile();
  const create = useCreateSla();
  const [draft, setDraft] = useState<SlaDraft>(emptyDraft);
  const [tried, setTried] = useState(false);

  const save = () => {
    setTried(true);
    if (draftProblems(draft).length) return;
    create.mutate(createRequest(draft), {
      onSuccess: (def) => {
        notifySuccess(t('sla.created'));
        navigate(`/settings/sla/${def.id}`);
      },
    });
  };

  return (
    <>
      <Flex vertical gap={8} style={{ marginBottom: 16 }}>
        <Space size={8}>
          <BackLink />
          <Typography.Title level={isMobile ? 4 : 3} style={{ margin: 0 }} data-testid="page-title">
            {t('sla.createTitle')}
          </Typography.Title>
        </Space>
      </Flex>
      <Flex vertical gap={16} style={{ maxWidth: 1100 }}>
        <SlaDefinitionForm
          value={draft}
          onChange={(next) => {
            create.reset();
            setDraft(next);
          }}
          mode="create"
          showProblems={tried}
        />
        <SaveBar error={create.error ? errorText(create.error) : null} saving={create.isPending} dirty onSave={save} />
      </Flex>
    </>
  );
}

/** The saved definition with local edits on top; saving adds a version. */
function SlaEditor({ definition, onConflict }: { definition: SlaDefinition; onConflict: () => void }) {
  const { t } = useTranslation();
  const update = useUpdateSla(definition.id);
  const [draft, setDraft] = useState<SlaDraft | null>(null);
  const [tried, setTried] = useState(false);
  const current = draft ?? draftFromDefinition(definition);

  const save = () => {
    if (!draft) return;
    setTried(true);
    if (draftProblems(draft).length) return;
    update.mutate(updateRequest(definition, draft), {
      onSuccess: (def) => {
        setDraft(null);
        setTried(false);
        notifySuccess(t('sla.saved', { version: def.version }));
      },
      onError: (error) => {
        if (isApiError(error, 'VERSION_CONFLICT')) onConflict();
      },
    });
  };

  const failure = update.error && !isApiError(update.error, 'VERSION_CONFLICT') ? errorText(update.error) : null;

  return (
    <Flex vertical gap={16}>
      <SlaDefinitionForm
        value={current}
        onChange={(next) => {
          update.reset();
          setDraft(next);
        }}
        mode="edit"
        showProblems={tried}
      />
      <SaveBar
        error={failure}
        saving={update.isPending}
        dirty={draft !== null}
        onSave={save}
        onReset={() => {
          update.reset();
          setTried(false);
          setDraft(null);
        }}
      />
    </Flex>
  );
}

/** /settings/sla/:id: edit (a new version per save), version history, replay. */
export function SlaDetailPage() {
  const { t } = useTranslation();
  const isMobile = useIsMobile();
  const queryClient = useQueryClient();
  const id = Number(useParams().id);
  const query = useSlaDefinition(id);
  const definition = query.data;
  const [conflict, setConflict] = useState(false);
  // Bumped by a reload after a conflict: remounts the editor, dropping its stale draft.
  const [generation, setGeneration] = useState(0);

  const reload = async () => {
    await queryClient.invalidateQueries({ queryKey: slaKeys.detail(id) });
    await queryClient.invalidateQueries({ queryKey: slaKeys.versions(id) });
    setConflict(false);
    setGeneration((value) => value + 1);
  };

  if (query.isPending && Number.isSafeInteger(id) && id > 0) return <Skeleton active />;
  if (!definition) {
    const error = query.error;
    const notFound = !error || (isApiError(error) && (error.status === 404 || error.status === 403));
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? t('sla.notFound') : t('common.loadFailed')}
        subTitle={!notFound && error ? errorText(error) : undefined}
        data-testid="sla-not-found"
        extra={
          <Link to="/settings/sla">
            <Button>{t('sla.backToList')}</Button>
          </Link>
        }
      />
    );
  }

  return (
    <>
      <Flex vertical gap={8} style={{ marginBottom: 16 }}>
        <Space wrap size={8}>
          <BackLink />
          <Tag title={t(`sla.kind.${definition.kind}Long`)}>{t(`sla.kind.${definition.kind}`)}</Tag>
          <Tag color={definition.active ? 'green' : 'default'} data-testid="sla-active-tag">
            {definition.active ? t('sla.field.activeOn') : t('sla.field.activeOff')}
          </Tag>
          <Typography.Text type="secondary" data-testid="sla-version">
            {t('sla.version', { version: definition.version })}
          </Typography.Text>
          <Typography.Text type="secondary">
            {t('common.labelValue', { label: t('sla.field.updatedAt'), value: formatDateTime(definition.updatedAt) })}
          </Typography.Text>
        </Space>
        <Typography.Title level={isMobile ? 4 : 3} style={{ margin: 0 }} data-testid="sla-detail-title">
          {definition.name}
        </Typography.Title>
      </Flex>

      {conflict && (
        <Alert
          type="warning"
          showIcon
          title={t('sla.conflictTitle')}
          description={t('sla.versionConflict')}
          style={{ marginBottom: 16 }}
          data-testid="version-conflict"
          action={
            <Button icon={<ReloadOutlined />} onClick={() => void reload()} data-testid="version-conflict-reload">
              {t('sla.reload')}
            </Button>
          }
        />
      )}

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <SlaEditor key={generation} definition={definition} onConflict={() => setConflict(true)} />
        </Col>
        <Col xs={24} xl={8}>
          <Flex vertical gap={16}>
            <SlaReplayCard definition={definition} />
            <SlaVersionsCard definition={definition} />
          </Flex>
        </Col>
      </Row>
    </>
  );
}
