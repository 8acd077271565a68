import type { PriorityMatrix } from '@tianshu/contracts';

/** ITIL default: matrix[impact-1][urgency-1], 1 = high. P1..P4 are fault levels 一级..四级. */
export const DEFAULT_PRIORITY_MATRIX: PriorityMatrix = [
  [1, 2, 3],
  [2, 3, 4],
  [3, 4, 4],
];

export function priorityOf(matrix: PriorityMatrix, impact: number, urgency: number): number {
  const p = matrix[impact - 1]?.[urgency - 1];
  if (p === undefined) throw new Error(`impact ${impact} / urgency ${urgency} outside the matrix`);
  return p;
}
