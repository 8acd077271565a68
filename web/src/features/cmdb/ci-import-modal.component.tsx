import { useState } from 'react';
import { Alert, Button, Descriptions, Flex, Form, Modal, Select, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CmdbImportIssue } from '@tianshu/contracts';
import { errorText, notifyError, notifySuccess } from '../../app/notifier';
import { testId } from '../../shared/test-id';
import { downloadXlsx, refusedReport, useCmdbImport, type CmdbImportMode, type CmdbImportReport } from './use-cmdb-import.mutation';
import { useCiClasses } from './use-cmdb.query';

const COUNT_KEYS = ['rows', 'valid', 'created', 'updated', 'unchanged', 'skipped', 'relations', 'relationsCreated'] as const;

type Props = { open: boolean; onClose: () => void };

/** Choose a file and a mode, dry-run it, read the row-level report, then import for real. */
export function CiImportModal({ open, onClose }: Props) {
  const { t } = useTranslation();
  const classes = useCiClasses();
  const run = useCmdbImport();
  const [file, setFile] = useState<File | null>(null);
  const [classKey, setClassKey] = useState<string | undefined>();
  const [mode, setMode] = useState<Exclude<CmdbImportMode, 'dry_run'>>('all_or_nothing');
  const [report, setReport] = useState<CmdbImportReport | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const isCsv = file !== null && /\.csv$/i.test(file.name);

  const start = (dry: boolean) => {
    if (!file) return setFailure(t('cmdbImport.chooseFile'));
    if (isCsv && !classKey) return setFailure(t('cmdbImport.chooseClass'));
    setFailure(null);
    run.mutate(
      { file, mode: dry ? 'dry_run' : mode, classKey: isCsv ? classKey : undefined },
      {
        onSuccess: (r) => {
          setReport(r);
          if (r.committed) notifySuccess(t('cmdbImport.committed'));
        },
        onError: (err) => {
          const refused = refusedReport(err);
          setReport(refused);
          setFailure(refused ? t('cmdbImport.refused') : errorText(err));
        },
      },
    );
    return undefined;
  };

  const columns: TableColumnsType<CmdbImportIssue & { key: number }> = [
    { title: t('cmdbImport.report.sheet'), dataIndex: 'sheet', key: 'sheet' },
    { title: t('cmdbImport.report.row'), dataIndex: 'row', key: 'row', width: 70 },
    { title: t('cmdbImport.report.column'), key: 'column', render: (_v, e) => (e.column ? `${e.column}${e.header ? ` ${e.header}` : ''}` : '') },
    { title: t('cmdbImport.report.code'), dataIndex: 'code', key: 'code' },
    { title: t('cmdbImport.report.message'), dataIndex: 'message', key: 'message' },
  ];

  return (
    <Modal
      open={open}
      title={t('cmdbImport.title')}
      width={960}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Flex justify="space-between">
          <Button
            icon={<DownloadOutlined />}
            onClick={() => void downloadXlsx('/api/cmdb/import/template', 'cmdb-template.xlsx').catch(notifyError)}
            data-testid="cmdb-import-template"
          >
            {t('cmdbImport.template')}
          </Button>
          <Flex gap={8}>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button loading={run.isPending} onClick={() => start(true)} data-testid="cmdb-import-dry-run">
              {t('cmdbImport.dryRun')}
            </Button>
            <Button type="primary" loading={run.isPending} disabled={!report || report.committed || report.mode !== 'dry_run'} onClick={() => start(false)} data-testid="cmdb-import-commit">
              {t('cmdbImport.commit')}
            </Button>
          </Flex>
        </Flex>
      }
    >
      <Form layout="vertical">
        <Form.Item label={t('cmdbImport.file')} extra={t('cmdbImport.fileHint')}>
          <input
            type="file"
            accept=".xlsx,.csv"
            data-testid="cmdb-import-file"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setReport(null);
              setFailure(null);
            }}
          />
        </Form.Item>
        {isCsv && (
          <Form.Item label={t('cmdbImport.csvClass')} required>
            <Select
              showSearch
              optionFilterProp="label"
              value={classKey}
              onChange={setClassKey}
              options={(classes.data ?? []).map((c) => ({ value: c.key, label: `${c.name} (${c.key})` }))}
              data-testid="cmdb-import-class"
            />
          </Form.Item>
        )}
        <Form.Item label={t('cmdbImport.mode')}>
          <Select
            value={mode}
            // The dry-run report does not depend on the mode: switching keeps it and "Import" stays available.
            onChange={setMode}
            options={(['all_or_nothing', 'valid_only'] as const).map((m) => ({ value: m, label: t(`cmdbImport.modes.${m}`) }))}
            data-testid="cmdb-import-mode"
          />
        </Form.Item>
      </Form>
      {failure && <Alert type="error" showIcon message={failure} style={{ marginBottom: 12 }} data-testid="cmdb-import-failure" />}
      {report && (
        <div data-testid="cmdb-import-result">
          {!failure && (
            <Alert
              type={report.committed ? 'success' : 'info'}
              showIcon
              message={report.committed ? t('cmdbImport.committed') : t('cmdbImport.dryRunDone')}
              description={report.committed ? undefined : t('cmdbImport.commitHint')}
              style={{ marginBottom: 12 }}
            />
          )}
          <Descriptions size="small" column={4} bordered style={{ marginBottom: 12 }}>
            {COUNT_KEYS.map((k) => (
              <Descriptions.Item key={k} label={t(`cmdbImport.counts.${k}`)}>
                <span data-testid={`cmdb-import-count-${k}`}>{report.counts[k]}</span>
              </Descriptions.Item>
            ))}
          </Descriptions>
          <Table
            size="small"
            rowKey="key"
            data-testid="cmdb-import-report"
            columns={columns}
            dataSource={report.errors.map((e, i) => ({ ...e, key: i }))}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            locale={{ emptyText: <Typography.Text type="success">{t('cmdbImport.report.noErrors')}</Typography.Text> }}
            onRow={(e) => testId(`cmdb-import-error-${e.key}`)}
          />
        </div>
      )}
    </Modal>
  );
}
