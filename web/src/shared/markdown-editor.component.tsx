import { useState } from 'react';
import { Input, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { MarkdownView } from './markdown-view.component';

interface MarkdownEditorProps {
  value?: string;
  onChange?: (value: string) => void;
  placeholder?: string;
  rows?: number;
  maxLength?: number;
  testId?: string;
}

/** A textarea with a rendered preview; controlled so it works inside antd Form.Item. */
export function MarkdownEditor({ value = '', onChange, placeholder, rows = 6, maxLength, testId }: MarkdownEditorProps) {
  const { t } = useTranslation();
  const [tab, setTab] = useState('write');
  return (
    <Tabs
      size="small"
      activeKey={tab}
      onChange={setTab}
      items={[
        {
          key: 'write',
          label: t('incident.form.write'),
          children: (
            <Input.TextArea
              value={value}
              onChange={(event) => onChange?.(event.target.value)}
              placeholder={placeholder}
              autoSize={{ minRows: rows, maxRows: 24 }}
              maxLength={maxLength}
              data-testid={testId}
            />
          ),
        },
        {
          key: 'preview',
          label: <span data-testid={testId ? `${testId}-preview` : undefined}>{t('incident.form.preview')}</span>,
          children: value.trim() ? (
            <div style={{ minHeight: rows * 22, padding: '4px 0' }}>
              <MarkdownView source={value} />
            </div>
          ) : (
            <Typography.Text type="secondary">{t('incident.form.previewEmpty')}</Typography.Text>
          ),
        },
      ]}
    />
  );
}
