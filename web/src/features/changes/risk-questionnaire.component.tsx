import { Flex, Form, Radio, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { assessRisk, RISK_QUESTIONS, riskAnswersSchema, type RiskAnswers } from '@tianshu/contracts';
import { localized } from '../workflows/workflow-labels';
import { RiskTag } from './change-labels.component';

/** The fixed questionnaire as radio groups under `riskAnswers.<key>`, with the level the answers give. */
export function RiskQuestionnaire({ answers }: { answers: Partial<RiskAnswers> | undefined }) {
  const { t, i18n } = useTranslation();
  const parsed = riskAnswersSchema.safeParse(answers ?? {});
  const risk = parsed.success ? assessRisk(parsed.data) : null;
  return (
    <div data-testid="risk-questionnaire">
      {RISK_QUESTIONS.map((q) => (
        <Form.Item key={q.key} name={['riskAnswers', q.key]} label={localized(q.label, i18n.language)} rules={[{ required: true, message: t('change.riskRequired') }]}>
          <Radio.Group
            optionType="button"
            options={q.options.map((o) => ({ value: o.key, label: localized(o.label, i18n.language), 'data-testid': `risk-${q.key}-${o.key}` }))}
            data-testid={`risk-${q.key}`}
          />
        </Form.Item>
      ))}
      <Flex gap={8} align="center">
        <Typography.Text strong>{t('change.riskLevel')}:</Typography.Text>
        {risk ? (
          <>
            <RiskTag level={risk.level} testId="risk-level" />
            <Typography.Text type="secondary">
              {t('change.riskScore')} {risk.score}
            </Typography.Text>
          </>
        ) : (
          <Typography.Text type="secondary">{t('change.riskHint')}</Typography.Text>
        )}
      </Flex>
    </div>
  );
}
