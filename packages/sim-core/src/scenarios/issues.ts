/**
 * What is wrong with a scenario, as values a teacher can act on: the file, line and column,
 * the field, what was wrong and what would be accepted. A scenario is checked whole, so a
 * `ScenarioError` carries every issue found, not only the first.
 */

export interface ScenarioIssue {
  /** The file the issue is in (`my-class.yaml`), or `built-in <name>` for a built-in scenario. */
  readonly file: string;
  /** 1-based; 0 when the place is not in a file (a built-in scenario given as an object). */
  readonly line: number;
  readonly column: number;
  /** The field, as a path: `timeline[0].command.az`; empty for the whole scenario. */
  readonly field: string;
  readonly problem: string;
  readonly accepted: string;
}

/** An issue found by a check, before it is placed in a file: the path is from the scenario's root. */
export interface PathIssue {
  readonly path: readonly (string | number)[];
  readonly problem: string;
  readonly accepted: string;
}

/** `file:line:column: field: problem (accepted: …)`, the way compilers name a place. */
export function formatIssue(issue: ScenarioIssue): string {
  const place = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
  const field = issue.field ? `${issue.field}: ` : '';
  return `${place}: ${field}${issue.problem} (accepted: ${issue.accepted})`;
}

/** A scenario that cannot be used; `issues` lists every problem, `message` prints them one a line. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  readonly issues: readonly ScenarioIssue[];

  constructor(issues: readonly ScenarioIssue[]) {
    const count = issues.length === 1 ? '1 error' : `${issues.length} errors`;
    super(`scenario is not valid (${count}):\n${issues.map(formatIssue).join('\n')}`);
    this.issues = issues;
  }
}
