import type { StateCategory, WorkflowDefinition, WorkflowIssue } from '@tianshu/contracts';
import { categoryNodeColor, localized } from './workflow-labels';

/**
 * The state diagram as plain data: layout of states without a position, which states and
 * transitions validation issues point at, and the ECharts graph series built from a definition.
 */

export interface Point {
  x: number;
  y: number;
}

/** Spacing of the automatic layout, in the diagram's own units (the chart scales to fit). */
export const COLUMN_GAP = 220;
export const ROW_GAP = 110;
const MIN_DISTANCE = 60;
/** A state's box at full size, in diagram units (= pixels at scale 1). */
export const NODE_WIDTH = 140;
export const NODE_HEIGHT = 48;
const MARGIN = 20;

export interface DiagramFit {
  /** Pixels per diagram unit, at most 1: big workflows shrink, small ones keep full-size boxes. */
  scale: number;
  /** Series padding so that the boxes at the edges fit inside the canvas. */
  horizontal: number;
  vertical: number;
}

/** A canvas height for this width that wastes little space: the diagram's height at its width-limited scale, clamped. */
export function diagramHeight(nodes: readonly Point[], width: number, min = 280, max = 620): number {
  if (nodes.length === 0 || width <= 0) return min;
  const xs = nodes.map((n) => n.x);
  const ys = nodes.map((n) => n.y);
  const scale = Math.min(1, (width - 2 * MARGIN) / (Math.max(...xs) - Math.min(...xs) + NODE_WIDTH));
  const wanted = (Math.max(...ys) - Math.min(...ys) + NODE_HEIGHT) * scale + 2 * MARGIN + 40;
  return Math.round(Math.max(min, Math.min(max, wanted)));
}

/**
 * How the diagram fits a canvas of width x height. ECharts fits the nodes' centres into the
 * series box (aspect preserved); the padding leaves room for half a box on each side.
 */
export function diagramFit(nodes: readonly Point[], width: number, height: number): DiagramFit {
  if (nodes.length === 0 || width <= 0 || height <= 0) return { scale: 1, horizontal: NODE_WIDTH / 2 + MARGIN, vertical: NODE_HEIGHT / 2 + MARGIN };
  const xs = nodes.map((n) => n.x);
  const ys = nodes.map((n) => n.y);
  const spanX = Math.max(...xs) - Math.min(...xs);
  const spanY = Math.max(...ys) - Math.min(...ys);
  const scale = Math.min(1, (width - 2 * MARGIN) / (spanX + NODE_WIDTH), (height - 2 * MARGIN) / (spanY + NODE_HEIGHT));
  const s = Math.max(0.2, scale);
  return { scale: s, horizontal: (NODE_WIDTH * s) / 2 + MARGIN, vertical: (NODE_HEIGHT * s) / 2 + MARGIN };
}

/** Breadth-first depth of each state from the initial one along transitions; unreachable states get none. */
export function stateDepths(def: WorkflowDefinition): Map<string, number> {
  const next = new Map<string, Set<string>>();
  for (const tr of def.transitions) {
    if (tr.to === null) continue;
    for (const from of tr.from) {
      const set = next.get(from) ?? new Set<string>();
      set.add(tr.to);
      next.set(from, set);
    }
  }
  const depth = new Map<string, number>([[def.initial, 0]]);
  const queue = [def.initial];
  for (let i = 0; i < queue.length; i += 1) {
    const key = queue[i] as string;
    for (const to of next.get(key) ?? []) {
      if (depth.has(to)) continue;
      depth.set(to, (depth.get(key) ?? 0) + 1);
      queue.push(to);
    }
  }
  return depth;
}

/**
 * Positions for every state: a state's own x/y when it has both, otherwise a grid by depth from
 * the initial state (columns) in definition order (rows); unreachable states get the last column.
 * Laid-out states never land on top of a placed one.
 */
export function layoutStates(def: WorkflowDefinition): Map<string, Point> {
  const out = new Map<string, Point>();
  const placed: Point[] = [];
  for (const s of def.states) {
    if (s.x !== undefined && s.y !== undefined) {
      out.set(s.key, { x: s.x, y: s.y });
      placed.push({ x: s.x, y: s.y });
    }
  }
  const missing = def.states.filter((s) => !out.has(s.key));
  if (missing.length === 0) return out;
  const depths = stateDepths(def);
  const maxDepth = Math.max(0, ...[...depths.values()]);
  const columns = new Map<number, string[]>();
  for (const s of missing) {
    const column = depths.get(s.key) ?? maxDepth + 1;
    const list = columns.get(column) ?? [];
    list.push(s.key);
    columns.set(column, list);
  }
  const free = (p: Point) => placed.every((q) => Math.hypot(p.x - q.x, p.y - q.y) >= MIN_DISTANCE);
  for (const [column, keys] of [...columns.entries()].sort((a, b) => a[0] - b[0])) {
    keys.forEach((key, row) => {
      const p = { x: column * COLUMN_GAP, y: (row - (keys.length - 1) / 2) * ROW_GAP };
      while (!free(p)) p.y += ROW_GAP;
      out.set(key, p);
      placed.push(p);
    });
  }
  return out;
}

/** Positions for every state from scratch (the editor's "auto layout"), ignoring saved ones. */
export function autoLayout(def: WorkflowDefinition): Map<string, Point> {
  return layoutStates({ ...def, states: def.states.map(({ x: _x, y: _y, ...rest }) => rest) });
}

export interface IssueTargets {
  /** Keys of states an issue is about. */
  states: Set<string>;
  /** Indexes of transitions an issue is about. */
  transitions: Set<number>;
  /** State keys referenced but not defined (drawn as ghost nodes). */
  unknownStates: Set<string>;
}

const PATH_INDEX = /^(states|transitions|approvals)(?:\[(\d+)\]|\.(\d+))/;
/** Issues whose `ref` is a state key. */
const STATE_REF_CODES = new Set<WorkflowIssue['code']>(['DUPLICATE_STATE', 'UNKNOWN_STATE', 'UNREACHABLE_STATE', 'DEAD_END_STATE', 'TRANSITION_FROM_FINAL']);

/** Which parts of the diagram each validation issue points at (by its path, else by its ref). */
export function issueTargets(def: WorkflowDefinition, issues: readonly WorkflowIssue[]): IssueTargets {
  const known = new Set(def.states.map((s) => s.key));
  const out: IssueTargets = { states: new Set(), transitions: new Set(), unknownStates: new Set() };
  for (const issue of issues) {
    const m = PATH_INDEX.exec(issue.path);
    const index = m ? Number(m[2] ?? m[3]) : -1;
    if (m?.[1] === 'transitions' && def.transitions[index]) out.transitions.add(index);
    if (m?.[1] === 'states' && def.states[index]) out.states.add(def.states[index].key);
    if (issue.code === 'UNKNOWN_STATE' && !known.has(issue.ref)) out.unknownStates.add(issue.ref);
    else if (STATE_REF_CODES.has(issue.code) && known.has(issue.ref)) out.states.add(issue.ref);
  }
  return out;
}

export interface GraphNode {
  id: string;
  label: string;
  category: StateCategory | null;
  initial: boolean;
  issue: boolean;
  x: number;
  y: number;
}

export interface GraphEdge {
  source: string;
  target: string;
  /** Labels of the transitions drawn by this edge (several transitions between the same states share one). */
  labels: string[];
  transitionIndexes: number[];
  system: boolean;
  issue: boolean;
}

export const START_NODE = '__start__';

/** Nodes and edges of the diagram; transitions that keep the state (`to: null`) are loops. */
export function graphModel(def: WorkflowDefinition, locale: string, issues: readonly WorkflowIssue[] = []): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const targets = issueTargets(def, issues);
  const positions = layoutStates(def);
  const nodes: GraphNode[] = def.states.map((s) => {
    const p = positions.get(s.key) ?? { x: 0, y: 0 };
    return { id: s.key, label: localized(s.label, locale), category: s.category, initial: s.key === def.initial, issue: targets.states.has(s.key), x: p.x, y: p.y };
  });
  const known = new Set(nodes.map((n) => n.id));
  // References to undefined states are drawn too (as ghosts) so the issue is visible where it is.
  const ghosts: string[] = [];
  for (const tr of def.transitions) {
    for (const key of [...tr.from, ...(tr.to === null ? [] : [tr.to])]) {
      if (!known.has(key) && !ghosts.includes(key)) ghosts.push(key);
    }
  }
  const right = Math.max(0, ...nodes.map((n) => n.x)) + COLUMN_GAP;
  ghosts.forEach((key, i) => nodes.push({ id: key, label: key, category: null, initial: false, issue: true, x: right, y: i * ROW_GAP }));

  const edges = new Map<string, GraphEdge>();
  def.transitions.forEach((tr, index) => {
    for (const from of tr.from) {
      const to = tr.to ?? from;
      const id = `${from}\u0000${to}`;
      const edge = edges.get(id) ?? { source: from, target: to, labels: [], transitionIndexes: [], system: true, issue: false };
      const label = localized(tr.label, locale);
      if (!edge.labels.includes(label)) edge.labels.push(label);
      edge.transitionIndexes.push(index);
      edge.system = edge.system && tr.system;
      edge.issue = edge.issue || targets.transitions.has(index);
      edges.set(id, edge);
    }
  });
  const initial = nodes.find((n) => n.initial);
  if (initial) {
    nodes.push({ id: START_NODE, label: '', category: null, initial: false, issue: false, x: initial.x - COLUMN_GAP / 2, y: initial.y });
    edges.set(START_NODE, { source: START_NODE, target: initial.id, labels: [], transitionIndexes: [], system: false, issue: false });
  }
  return { nodes, edges: [...edges.values()] };
}

const ISSUE_COLOR = '#f5222d';
const GHOST_COLOR = '#ffccc7';

export interface GraphTexts {
  initial: string;
}

/** ECharts graph series data for the model (kept free of the echarts import so it is unit-testable). */
export function graphSeriesData(model: { nodes: GraphNode[]; edges: GraphEdge[] }, texts: GraphTexts, editable: boolean, scale = 1) {
  const font = (px: number) => Math.max(8, Math.round(px * Math.min(1, scale / 0.85)));
  const data = model.nodes.map((n) => {
    if (n.id === START_NODE) {
      return { id: n.id, name: n.id, x: n.x, y: n.y, symbol: 'circle', symbolSize: Math.max(8, 16 * scale), draggable: false, itemStyle: { color: '#262626' }, label: { show: false }, tooltip: { show: false } };
    }
    const color = n.category ? categoryNodeColor(n.category) : GHOST_COLOR;
    return {
      id: n.id,
      name: n.label,
      x: n.x,
      y: n.y,
      symbol: 'roundRect',
      symbolSize: [NODE_WIDTH * scale, NODE_HEIGHT * scale] as [number, number],
      draggable: editable && n.category !== null,
      category: n.category ?? undefined,
      itemStyle: {
        color,
        borderColor: n.issue ? ISSUE_COLOR : n.initial ? '#262626' : color,
        borderWidth: n.issue ? 4 : n.initial ? 3 : 1,
        borderType: n.category === null ? ('dashed' as const) : ('solid' as const),
        shadowBlur: n.issue ? 12 : 0,
        shadowColor: n.issue ? 'rgba(245,34,45,0.6)' : undefined,
      },
      label: {
        show: true,
        formatter: n.initial ? `{t|${n.label}}\n{k|${n.id} · ${texts.initial}}` : `{t|${n.label}}\n{k|${n.id}}`,
        rich: {
          t: { color: n.category === null ? '#a8071a' : '#fff', fontSize: font(13), fontWeight: 'bold' as const, lineHeight: font(18) },
          k: { color: n.category === null ? '#a8071a' : 'rgba(255,255,255,0.85)', fontSize: font(10), lineHeight: font(14) },
        },
      },
      issue: n.issue,
    };
  });
  const links = model.edges.map((e) => ({
    source: e.source,
    target: e.target,
    transitionIndexes: e.transitionIndexes,
    lineStyle: {
      color: e.issue ? ISSUE_COLOR : e.source === START_NODE ? '#262626' : '#8c8c8c',
      width: e.issue ? 3 : 1.5,
      type: e.system ? ('dashed' as const) : ('solid' as const),
      curveness: e.source === e.target ? 0.8 : undefined,
    },
    // Crowded (shrunk) diagrams show transition names on hover only.
    label: { show: e.labels.length > 0 && (scale >= 0.7 || e.issue), formatter: e.labels.join(' / '), fontSize: font(11), color: e.issue ? ISSUE_COLOR : '#595959' },
    emphasis: { label: { show: e.labels.length > 0 } },
  }));
  return { data, links };
}

/** The label of a state key in the user's language (the key itself for unknown states). */
export function stateName(def: WorkflowDefinition, key: string, locale: string): string {
  const state = def.states.find((s) => s.key === key);
  return state ? localized(state.label, locale) : key;
}

