import { useEffect, useRef } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import * as echarts from 'echarts/core';
import { GraphChart, type GraphSeriesOption } from 'echarts/charts';
import { LegendComponent, TooltipComponent, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { CiImportance, ImpactResult } from './cmdb-types';
import { radialLayout } from './impact-layout';

echarts.use([GraphChart, TooltipComponent, LegendComponent, CanvasRenderer]);

type Option = echarts.ComposeOption<GraphSeriesOption | TooltipComponentOption | LegendComponentOption>;

const SIZE: Record<CiImportance, number> = { core: 34, important: 26, normal: 18 };
/** Above this many nodes labels are drawn on hover only. */
const LABEL_LIMIT = 100;
/**
 * Above this many nodes the graph is drawn in rings by depth (radialLayout) instead of the force layout, whose
 * simulation blocked the main thread for seconds at 500 nodes; nodes are then not draggable.
 */
const FORCE_LIMIT = 200;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

interface ImpactGraphProps {
  result: ImpactResult;
  height?: number;
}

/** The impact of a CI as a force-directed graph: colour by class, size by importance, the root ringed. */
export function ImpactGraph({ result, height = 420 }: ImpactGraphProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<echarts.ECharts | null>(null);
  const navigateRef = useRef(navigate);
  navigateRef.current = navigate;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'canvas' });
    chartRef.current = chart;
    chart.on('click', (params) => {
      if (params.dataType !== 'node') return;
      const data = params.data as { id?: string } | undefined;
      const id = Number(data?.id);
      if (Number.isSafeInteger(id) && id > 0) void navigateRef.current(`/cmdb/cis/${id}`);
    });
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
  }, []);

  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    const count = result.nodes.length;
    const labels = count <= LABEL_LIMIT;
    const big = count > FORCE_LIMIT;
    const rings = big ? radialLayout(result.nodes, result.edges) : null;
    const classes = [...new Map(result.nodes.map((n) => [n.classKey, n.className])).entries()];
    const categoryIndex = new Map(classes.map(([key], i) => [key, i]));
    const present = new Set(result.nodes.map((n) => n.id));
    const option: Option = {
      tooltip: {
        confine: true,
        formatter: (params) => {
          const p = Array.isArray(params) ? params[0] : params;
          if (!p) return '';
          const data = p.data as { tip?: string } | undefined;
          return data?.tip ?? '';
        },
      },
      legend: [{ type: 'scroll', top: 0, data: classes.map(([, name]) => name) }],
      animation: !big,
      series: [
        {
          type: 'graph',
          layout: big ? 'none' : 'force',
          roam: true,
          draggable: !big,
          top: 40,
          categories: classes.map(([, name]) => ({ name })),
          force: { repulsion: 220, edgeLength: [60, 120], gravity: 0.08, layoutAnimation: true },
          label: { show: labels, position: 'right', fontSize: 11 },
          emphasis: { focus: 'adjacency', label: { show: true }, edgeLabel: { show: true } },
          edgeSymbol: ['none', 'arrow'],
          edgeSymbolSize: 7,
          lineStyle: { color: 'source', opacity: 0.6, curveness: 0.1 },
          edgeLabel: { show: false, fontSize: 10, formatter: (p) => (p.data as { typeName?: string }).typeName ?? '' },
          data: result.nodes.map((n) => {
            const root = n.id === result.rootId;
            return {
              id: String(n.id),
              name: n.name,
              category: categoryIndex.get(n.classKey) ?? 0,
              symbolSize: root ? SIZE[n.importance] + 14 : SIZE[n.importance],
              itemStyle: root ? { borderColor: '#f5222d', borderWidth: 4, shadowBlur: 12, shadowColor: 'rgba(245,34,45,0.5)' } : undefined,
              label: root ? { show: true, fontWeight: 'bold' as const } : undefined,
              x: rings?.get(n.id)?.x,
              y: rings?.get(n.id)?.y,
              tip: `${escapeHtml(n.name)}<br/>${escapeHtml(n.className)} · ${escapeHtml(t(`cmdb.importanceValues.${n.importance}`))}<br/>${escapeHtml(t('cmdb.impact.depthN', { depth: n.depth }))}`,
            };
          }),
          links: result.edges
            .filter((e) => present.has(e.fromCiId) && present.has(e.toCiId))
            .map((e) => ({ source: String(e.fromCiId), target: String(e.toCiId), typeName: e.typeName, tip: escapeHtml(e.typeName) })),
        },
      ],
    };
    chart.setOption(option, { notMerge: true, lazyUpdate: true });
  }, [result, t]);

  return <div ref={ref} style={{ width: '100%', height }} data-testid="cmdb-impact-graph" />;
}
