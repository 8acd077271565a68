import { Alert, Col, Form, Input, InputNumber, Modal, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { EVALUATION_CRITERIA, EVALUATION_WEIGHTS, evaluationGrade, evaluationTotal, type EvaluationScores } from '@tianshu/contracts';
import { errorText } from '../../app/notifier';
import { testId } from '../../shared/test-id';
import { useCreateEvaluation } from './use-vendors.mutation';

type EvaluationForm = { year: number; scores: Partial<EvaluationScores>; comment: string };

const complete = (s: Partial<EvaluationScores> | undefined): s is EvaluationScores =>
  Boolean(s) && EVALUATION_CRITERIA.every((k) => typeof s?.[k] === 'number' && Number.isInteger(s[k]) && (s[k] ?? -1) >= 0 && (s[k] ?? 101) <= 100);

export function EvaluationFormModal({ vendorId, onClose, onSaved }: { vendorId: number; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<EvaluationForm>();
  const create = useCreateEvaluation(vendorId);
  const scores = Form.useWatch('scores', form);
  // The same functions the server uses, so the preview never disagrees with what is saved.
  const total = complete(scores) ? evaluationTotal(scores) : null;

  const submit = async () => {
    const v = await form.validateFields();
    if (!complete(v.scores)) return;
    await create.mutateAsync({ year: v.year, scores: v.scores, comment: v.comment ?? '' });
    onSaved();
  };

  return (
    <Modal
      open
      title={t('vendor.evaluation.createTitle')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      okButtonProps={testId('evaluation-save', {})}
      destroyOnHidden
    >
      {create.error && <Alert type="error" showIcon title={errorText(create.error)} style={{ marginBottom: 16 }} data-testid="evaluation-form-error" />}
      <Typography.Paragraph type="secondary">{t('vendor.evaluation.weightsHint')}</Typography.Paragraph>
      <Form<EvaluationForm> form={form} layout="vertical" preserve={false} initialValues={{ year: new Date().getFullYear(), scores: {}, comment: '' }} data-testid="evaluation-form">
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="year" label={t('vendor.evaluation.year')} rules={[{ required: true }]}>
              <InputNumber min={2000} max={2100} style={{ width: '100%' }} data-testid="evaluation-year" />
            </Form.Item>
          </Col>
          {EVALUATION_CRITERIA.map((k) => (
            <Col span={8} key={k}>
              <Form.Item name={['scores', k]} label={`${t(`vendor.evaluation.criteria.${k}`)} (${EVALUATION_WEIGHTS[k]}%)`} rules={[{ required: true }]}>
                <InputNumber min={0} max={100} precision={0} style={{ width: '100%' }} data-testid={`evaluation-${k}`} />
              </Form.Item>
            </Col>
          ))}
          <Col span={24}>
            <Form.Item name="comment" label={t('vendor.evaluation.comment')}>
              <Input.TextArea rows={2} maxLength={4000} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      {total !== null && (
        <Alert type="info" title={t('vendor.evaluation.preview', { total, grade: evaluationGrade(total) })} data-testid="evaluation-preview" />
      )}
    </Modal>
  );
}
