import { useState } from 'react';
import { Button, DatePicker, Flex, Input, Select } from 'antd';
import { FilterOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useAuth, useMe } from '../../../app/auth-context';
import { INCIDENT_STATES, PRIORITIES } from '../../../shared/enums';
import { priorityLabel, stateLabel } from '../../../shared/labels';
import { useGroups, useOrganizations } from '../../../shared/use-directory.query';
import { useIsMobile } from '../../../shared/use-is-mobile';
import { UserLookupSelect } from '../../../shared/user-lookup-select.component';
import { type IncidentListState, SLA_FILTERS, type SlaFilter } from '../incident-list-params';

const ALL_SLA = 'all';

interface IncidentFiltersProps {
  value: IncidentListState;
  onChange: (patch: Partial<IncidentListState>) => void;
  onReset: () => void;
}

export function IncidentFilters({ value, onChange, onReset }: IncidentFiltersProps) {
  const { t } = useTranslation();
  const me = useMe();
  const { can } = useAuth();
  const isMobile = useIsMobile();
  const [expanded, setExpanded] = useState(false);
  const isProvider = me.orgKind === 'provider';
  const orgs = useOrganizations();
  const groups = useGroups(isProvider);
  const [search, setSearch] = useState(value.q ?? '');

  const width = isMobile ? '100%' : 180;
  const showDetails = !isMobile || expanded;

  return (
    <Flex wrap gap={8} style={{ marginBottom: 16 }} data-testid="incident-filters">
      <Input.Search
        allowClear
        value={search}
        onChange={(event) => setSearch(event.target.value)}
        onSearch={(text) => onChange({ q: text.trim() || undefined })}
        placeholder={t('incident.filter.search')}
        style={{ width: isMobile ? 'calc(100% - 48px)' : 260 }}
        data-testid="incident-search"
        enterButton
      />
      {isMobile && (
        <Button icon={<FilterOutlined />} onClick={() => setExpanded((open) => !open)} aria-label={t('common.filters')} data-testid="incident-filter-toggle" />
      )}
      {showDetails && (
        <>
          <Select
            mode="multiple"
            allowClear
            maxTagCount="responsive"
            placeholder={t('incident.filter.state')}
            value={value.state}
            onChange={(state) => onChange({ state })}
            options={INCIDENT_STATES.map((state) => ({ value: state, label: stateLabel(t, state) }))}
            style={{ width }}
            data-testid="incident-filter-state"
          />
          <Select
            mode="multiple"
            allowClear
            maxTagCount="responsive"
            placeholder={t('incident.filter.priority')}
            value={value.priority}
            onChange={(priority) => onChange({ priority })}
            options={PRIORITIES.map((priority) => ({ value: priority, label: priorityLabel(t, priority) }))}
            style={{ width }}
            data-testid="incident-filter-priority"
          />
          {(orgs.data?.length ?? 0) > 1 && (
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('incident.filter.org')}
              value={value.orgId}
              onChange={(orgId?: number) => onChange({ orgId })}
              options={(orgs.data ?? []).map((org) => ({ value: org.id, label: org.name }))}
              style={{ width }}
              data-testid="incident-filter-org"
            />
          )}
          {isProvider && (
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('incident.filter.group')}
              value={value.groupId}
              onChange={(groupId?: number) => onChange({ groupId })}
              options={(groups.data ?? []).map((group) => ({ value: group.id, label: group.name }))}
              style={{ width }}
              data-testid="incident-filter-group"
            />
          )}
          {isProvider && (
            <div style={{ width }}>
              <UserLookupSelect
                value={value.assigneeId ?? null}
                onChange={(assigneeId) => onChange({ assigneeId: assigneeId ?? undefined })}
                placeholder={t('incident.filter.assignee')}
                testId="incident-filter-assignee"
              />
            </div>
          )}
          {can('sla.read') && (
            <Select<SlaFilter | typeof ALL_SLA>
              value={value.sla ?? ALL_SLA}
              onChange={(sla) => onChange({ sla: sla === ALL_SLA ? undefined : sla })}
              options={[
                { value: ALL_SLA, label: t('sla.filter.all') },
                ...SLA_FILTERS.map((sla) => ({ value: sla, label: t(`sla.filter.${sla}`) })),
              ]}
              optionRender={(option) => <span data-testid={`incident-filter-sla-option-${String(option.value)}`}>{option.label}</span>}
              aria-label={t('sla.filter.label')}
              style={{ width }}
              data-testid="incident-filter-sla"
            />
          )}
          <DatePicker.RangePicker
            allowEmpty={[true, true]}
            value={[value.createdFrom ? dayjs(value.createdFrom) : null, value.createdTo ? dayjs(value.createdTo) : null]}
            onChange={(range) =>
              onChange({
                createdFrom: range?.[0]?.startOf('day').toISOString(),
                createdTo: range?.[1]?.endOf('day').toISOString(),
              })
            }
            placeholder={[t('common.from'), t('common.to')]}
            style={{ width: isMobile ? '100%' : 260 }}
            data-testid="incident-filter-created"
          />
          <Button
            onClick={() => {
              setSearch('');
              onReset();
            }}
            data-testid="incident-filter-reset"
          >
            {t('common.reset')}
          </Button>
        </>
      )}
    </Flex>
  );
}
