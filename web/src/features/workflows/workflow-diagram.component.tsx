import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import * as echarts from 'echarts/core';
import { GraphChart, type GraphSeriesOption } from 'echarts/charts';
import { TooltipComponent, type TooltipComponentOption } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { WorkflowDefinition, WorkflowIssue } from '@tianshu/contracts';
import { diagramFit, diagramHeight, graphModel, graphSeriesData, START_NODE } from './workflow-graph';

echarts.use([GraphChart, TooltipComponent, CanvasRenderer]);

type Option = echarts.ComposeOption<GraphSeriesOption | TooltipComponentOption>;

interface WorkflowDiagramProps {
  definition: WorkflowDefinition;
  issues: readonly WorkflowIssue[];
  editable: boolean;
  /** A state was dragged to a new place (diagram coordinates). */
  onMove?: (key: string, x: number, y: number) => void;
  onStateClick?: (key: string) => void;
  onTransitionClick?: (index: number) => void;
}

interface DragStart {
  key: string;
  /** Pointer and node in diagram coordinates when the drag began. */
  pointer: [number, number];
  node: [number, number];
}

/**
 * The workflow as a state diagram: states coloured by category (the initial one outlined, those
 * with validation issues red), transitions as labelled arrows (dashed: system only). States can be
 * dragged; the new position is reported in diagram coordinates through the public convertFromPixel.
 */
export function WorkflowDiagram({ definition, issues, editable, onMove, onStateClick, onTransitionClick }: WorkflowDiagramProps) {
  const { t, i18n } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<echarts.ECharts | null>(null);
  const handlers = useRef({ onMove, onStateClick, onTransitionClick });
  handlers.current = { onMove, onStateClick, onTransitionClick };
  const model = useMemo(() => graphModel(definition, i18n.language, issues), [definition, i18n.language, issues]);
  const modelRef = useRef(model);
  modelRef.current = model;
  const [size, setSize] = useState({ width: 0, height: 0 });
  const height = diagramHeight(model.nodes, size.width);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'canvas' });
    chartRef.current = chart;
    let drag: DragStart | null = null;
    const toDiagram = (e: { offsetX: number; offsetY: number }): [number, number] | null => {
      const p = chart.convertFromPixel({ seriesIndex: 0 }, [e.offsetX, e.offsetY]) as number[] | undefined;
      return p && Number.isFinite(p[0]) && Number.isFinite(p[1]) ? [p[0] as number, p[1] as number] : null;
    };
    chart.on('mousedown', (params) => {
      if (params.dataType !== 'node') return;
      const key = (params.data as { id?: string } | undefined)?.id;
      const node = modelRef.current.nodes.find((n) => n.id === key);
      if (!key || !node || !node.category || !params.event) return;
      const pointer = toDiagram(params.event);
      drag = pointer ? { key, pointer, node: [node.x, node.y] } : null;
    });
    chart.getZr().on('mouseup', (e) => {
      const started = drag;
      drag = null;
      if (!started) return;
      const pointer = toDiagram(e);
      if (!pointer) return;
      const dx = pointer[0] - started.pointer[0];
      const dy = pointer[1] - started.pointer[1];
      // A click is not a move (and must not mark the draft dirty).
      if (Math.hypot(dx, dy) < 2) return;
      handlers.current.onMove?.(started.key, started.node[0] + dx, started.node[1] + dy);
    });
    chart.on('click', (params) => {
      if (params.dataType === 'node') {
        const key = (params.data as { id?: string } | undefined)?.id;
        if (key && key !== START_NODE) handlers.current.onStateClick?.(key);
      } else if (params.dataType === 'edge') {
        const index = (params.data as { transitionIndexes?: number[] } | undefined)?.transitionIndexes?.[0];
        if (index !== undefined) handlers.current.onTransitionClick?.(index);
      }
    });
    setSize({ width: el.clientWidth, height: el.clientHeight });
    const observer = new ResizeObserver(() => {
      chart.resize();
      setSize({ width: el.clientWidth, height: el.clientHeight });
    });
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
    if (size.width === 0) return;
    const fit = diagramFit(model.nodes, size.width, size.height);
    const { data, links } = graphSeriesData(model, { initial: t('workflow.editor.initialMark') }, editable, fit.scale);
    const option: Option = {
      tooltip: { show: false },
      animation: false,
      series: [
        {
          type: 'graph',
          layout: 'none',
          roam: true,
          draggable: editable,
          autoCurveness: true,
          edgeSymbol: ['none', 'arrow'],
          edgeSymbolSize: 9,
          emphasis: { focus: 'adjacency', lineStyle: { width: 3 } },
          // Same scale on both axes, with room for half a box at the edges (see diagramFit).
          preserveAspect: 'contain',
          left: fit.horizontal,
          right: fit.horizontal,
          top: fit.vertical,
          bottom: fit.vertical,
          data,
          links,
        },
      ],
    };
    chart.setOption(option, { notMerge: true, lazyUpdate: true });
  }, [model, editable, t, size]);

  return (
    <div
      ref={ref}
      style={{ width: '100%', height }}
      data-testid="workflow-diagram"
      data-states={definition.states.map((s) => s.key).join(' ')}
      data-issue-states={model.nodes.filter((n) => n.issue).map((n) => n.id).join(' ')}
    />
  );
}
