import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Label, Ticket } from '@tianshu/contracts';
import { categoryTagColor, localized } from './workflow-labels';

interface StateTagProps {
  ticket: Pick<Ticket, 'state' | 'stateCategory'> & { workflow?: Pick<Ticket['workflow'], 'state'> };
  /** The state's label when the ticket carries no workflow view (list rows); else the category's name is shown. */
  label?: Label;
  testId?: string;
}

/**
 * A ticket's workflow state: the state's own label (in the user's language), coloured by its
 * category. Summaries without a workflow view fall back to the category's name.
 */
export function StateTag({ ticket, label: given, testId = 'ticket-state' }: StateTagProps) {
  const { t, i18n } = useTranslation();
  const source = ticket.workflow?.state.label ?? given;
  const label = source ? localized(source, i18n.language) : t(`workflow.category.${ticket.stateCategory}`);
  return (
    <Tag color={categoryTagColor(ticket.stateCategory)} data-testid={testId} data-state={ticket.state} data-category={ticket.stateCategory}>
      {label}
    </Tag>
  );
}
