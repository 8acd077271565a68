import { describe, expect, it } from 'vitest';
import type { WorkflowIssue } from '@tianshu/contracts';
import { addState, addTransition, moveState } from './workflow-edit';
import { autoLayout, COLUMN_GAP, diagramFit, diagramHeight, graphModel, NODE_HEIGHT, NODE_WIDTH, graphSeriesData, issueTargets, layoutStates, START_NODE, stateDepths, stateName } from './workflow-graph';
import { localized } from './workflow-labels';
import { fixtureDefinition } from './workflow-test-fixture';

describe('workflow diagram', () => {
  it('computes depths from the initial state along transitions', () => {
    const depths = stateDepths(fixtureDefinition());
    expect(Object.fromEntries(depths)).toEqual({ new: 0, assigned: 1, resolved: 1, cancelled: 1, pending: 2, closed: 2 });
  });

  it('lays out states by depth in columns without overlaps; unreachable states go to the last column', () => {
    const def = addState(fixtureDefinition(), { key: 'orphan', label: { 'zh-CN': '孤立', 'en-US': 'Orphan' }, category: 'open' });
    const pos = layoutStates(def);
    expect(pos.size).toBe(def.states.length);
    expect(pos.get('new')).toEqual({ x: 0, y: 0 });
    expect(pos.get('assigned')?.x).toBe(COLUMN_GAP);
    expect(pos.get('orphan')?.x).toBe(3 * COLUMN_GAP);
    const points = [...pos.values()].map((p) => `${p.x},${p.y}`);
    expect(new Set(points).size).toBe(points.length);
  });

  it('keeps saved positions and places new states away from them', () => {
    let def = fixtureDefinition();
    def = moveState(def, 'new', 0, 0);
    def = moveState(def, 'assigned', COLUMN_GAP, -55); // where the grid would put a depth-1 state
    const pos = layoutStates(def);
    expect(pos.get('assigned')).toEqual({ x: COLUMN_GAP, y: -55 });
    for (const [key, p] of pos) {
      if (key === 'assigned') continue;
      expect(Math.hypot(p.x - COLUMN_GAP, p.y + 55)).toBeGreaterThanOrEqual(60);
    }
  });

  it('auto layout ignores saved positions', () => {
    const def = moveState(fixtureDefinition(), 'new', 999, 999);
    expect(autoLayout(def).get('new')).toEqual({ x: 0, y: 0 });
    expect(layoutStates(def).get('new')).toEqual({ x: 999, y: 999 });
  });

  it('maps issues to states and transitions by path and ref', () => {
    const def = fixtureDefinition();
    const issues: WorkflowIssue[] = [
      { code: 'UNREACHABLE_STATE', path: 'states[2]', ref: 'pending' },
      { code: 'DEAD_END_STATE', path: 'states.3', ref: 'resolved' },
      { code: 'UNKNOWN_STATE', path: 'transitions[5].to', ref: 'nowhere' },
      { code: 'UNKNOWN_TRANSITION', path: 'approvals.0.onApproved', ref: 'new' },
      { code: 'SYSTEM_TRANSITION_WITH_INPUTS', path: 'transitions.6.inputs', ref: 'pending' },
      { code: 'TRANSITION_FROM_FINAL', path: 'transitions.5.from.0', ref: 'closed' },
    ];
    const targets = issueTargets(def, issues);
    expect([...targets.states].sort()).toEqual(['closed', 'pending', 'resolved']);
    expect([...targets.transitions].sort()).toEqual([5, 6]);
    expect([...targets.unknownStates]).toEqual(['nowhere']);
  });

  it('builds nodes with labels in the locale, merged edges, loops for to:null, a start marker and ghosts', () => {
    let def = fixtureDefinition();
    def = addTransition(def, { ...def.transitions[0]!, key: 'escalate', label: { 'zh-CN': '升级', 'en-US': 'Escalate' }, from: ['assigned'], to: 'nowhere' });
    const model = graphModel(def, 'en-US', [{ code: 'UNKNOWN_STATE', path: 'transitions[8].to', ref: 'nowhere' }]);
    const ids = model.nodes.map((n) => n.id);
    expect(ids).toEqual(['new', 'assigned', 'pending', 'resolved', 'closed', 'cancelled', 'nowhere', START_NODE]);
    expect(model.nodes.find((n) => n.id === 'nowhere')).toMatchObject({ category: null, issue: true });
    expect(model.nodes.find((n) => n.id === 'new')).toMatchObject({ initial: true, label: 'new' });
    // new -> assigned is both `assign` and the system `approved`: one edge, two labels, not all system.
    const newAssigned = model.edges.find((e) => e.source === 'new' && e.target === 'assigned');
    expect(newAssigned).toMatchObject({ labels: ['assign', 'approved'], transitionIndexes: [0, 6], system: false });
    // assigned -> assigned: assign (to assigned) and reassign (to: null) share the loop.
    expect(model.edges.find((e) => e.source === 'assigned' && e.target === 'assigned')?.transitionIndexes).toEqual([0, 1]);
    expect(model.edges.find((e) => e.target === 'nowhere')).toMatchObject({ issue: true });
    expect(model.edges.find((e) => e.source === START_NODE)?.target).toBe('new');
    const zh = graphModel(def, 'zh-CN');
    expect(zh.nodes.find((n) => n.id === 'new')?.label).toBe('新建');
  });

  it('series data colours nodes by category, marks issues and only lets real states be dragged', () => {
    const def = fixtureDefinition();
    const model = graphModel(def, 'zh-CN', [{ code: 'DEAD_END_STATE', path: 'states[2]', ref: 'pending' }]);
    const { data, links } = graphSeriesData(model, { initial: '初始' }, true);
    const pending = data.find((d) => d.id === 'pending');
    expect(pending?.itemStyle).toMatchObject({ color: '#fa8c16', borderColor: '#f5222d' });
    expect(data.find((d) => d.id === 'new')?.label.formatter).toContain('初始');
    expect(data.find((d) => d.id === START_NODE)?.draggable).toBe(false);
    expect(data.find((d) => d.id === 'closed')?.draggable).toBe(true);
    expect(graphSeriesData(model, { initial: '' }, false).data.every((d) => !d.draggable)).toBe(true);
    expect(links.find((l) => l.source === 'resolved' && l.target === 'closed')?.label.formatter).toBe('动作close');
  });

  it('fits the diagram: big ones shrink so boxes do not overlap, small ones keep full size', () => {
    const wide = Array.from({ length: 8 }, (_, i) => ({ x: i * COLUMN_GAP, y: 0 }));
    const fit = diagramFit(wide, 900, 460);
    expect(fit.scale).toBeCloseTo((900 - 40) / (7 * COLUMN_GAP + NODE_WIDTH), 5);
    // Neighbouring boxes keep a gap at that scale.
    expect(COLUMN_GAP * fit.scale).toBeGreaterThan(NODE_WIDTH * fit.scale);
    expect(fit.horizontal).toBeCloseTo((NODE_WIDTH * fit.scale) / 2 + 20, 5);
    const small = diagramFit([{ x: 0, y: 0 }, { x: COLUMN_GAP, y: 0 }], 1200, 460);
    expect(small).toEqual({ scale: 1, horizontal: NODE_WIDTH / 2 + 20, vertical: NODE_HEIGHT / 2 + 20 });
    const tall = diagramFit([{ x: 0, y: 0 }, { x: 0, y: 1000 }], 1200, 460);
    expect(tall.scale).toBeCloseTo((460 - 40) / (1000 + NODE_HEIGHT), 5);
  });

  it('picks a canvas height that suits the diagram', () => {
    const wide = Array.from({ length: 8 }, (_, i) => ({ x: i * COLUMN_GAP, y: (i % 3) * 110 }));
    expect(diagramHeight(wide, 900)).toBe(280);
    const tall = Array.from({ length: 8 }, (_, i) => ({ x: 0, y: i * 110 }));
    expect(diagramHeight(tall, 900)).toBe(620);
    const mid = [{ x: 0, y: 0 }, { x: 220, y: 300 }];
    expect(diagramHeight(mid, 1000)).toBe(300 + NODE_HEIGHT + 80);
  });

  it('shrunk diagrams scale boxes and fonts and hide edge labels except on issues', () => {
    const model = graphModel(fixtureDefinition(), 'en-US', [{ code: 'UNKNOWN_STATE', path: 'transitions.5.to', ref: 'x' }]);
    const { data, links } = graphSeriesData(model, { initial: 'initial' }, true, 0.5);
    expect(data.find((d) => d.id === 'new')?.symbolSize).toEqual([NODE_WIDTH / 2, NODE_HEIGHT / 2]);
    expect(links.find((l) => l.source === 'new' && l.target === 'assigned')?.label.show).toBe(false);
    expect(links.find((l) => l.source === 'resolved' && l.target === 'closed')?.label.show).toBe(true);
  });

  it('names states in the locale and falls back for blank labels', () => {
    const def = fixtureDefinition();
    expect(stateName(def, 'pending', 'zh-CN')).toBe('挂起');
    expect(stateName(def, 'gone', 'zh-CN')).toBe('gone');
    expect(localized({ 'zh-CN': ' ', 'en-US': 'Only English' }, 'zh-CN')).toBe('Only English');
  });
});
