// Each module that adds workflow checks or hooks registers them here by import (side effect).
// Keep one line per module.
import '../changes/changes.workflow.ts';
import '../releases/releases.workflow.ts';
import '../problems/problems.workflow.ts';
import '../requests/requests.workflow.ts';
export {};
