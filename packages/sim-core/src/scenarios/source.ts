/**
 * A scenario file read with the places of its nodes, so that an issue found in the data can
 * be reported at its line and column (the `yaml` library keeps each node's range).
 */
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { fieldPath } from '../engine/field-path';
import { checkInputBounds, checkYamlTextBounds, INPUT_LIMITS, type InputProblem } from '../input/bounds';
import type { PathIssue, ScenarioIssue } from './issues';

/** YAML aliases may repeat a node at most this often: a "billion laughs" file is refused, not expanded. */
const MAX_ALIAS_COUNT = 100;

export interface ScenarioSource {
  readonly file: string;
  /** The document as plain data, or undefined when the YAML itself is broken. */
  readonly data: unknown;
  /** Syntax errors (bad YAML, duplicate keys), already placed. */
  readonly syntaxIssues: readonly ScenarioIssue[];
  /** How many steps of the path exist in this file (all of them: the field is written here). */
  depth(path: readonly (string | number)[]): number;
  /** Places an issue: at the path's key (for an unknown field) or value, else at the deepest part of the path that exists. */
  place(issue: PathIssue, at?: 'key' | 'value'): ScenarioIssue;
}

export function readScenarioSource(file: string, text: string): ScenarioSource {
  // The yaml parser recurses while it reads: a file nested thousands deep is refused first.
  const tooBig = checkYamlTextBounds(text);
  if (tooBig) return refused(file, tooBig);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const syntaxIssues: ScenarioIssue[] = doc.errors.map((error) => {
    const pos = error.linePos?.[0];
    return {
      file,
      line: pos?.line ?? 1,
      column: pos?.col ?? 1,
      field: '',
      problem: `not valid YAML or JSON: ${error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`,
      accepted: 'YAML (or JSON) text: a mapping of scenario fields',
    };
  });
  let data: unknown;
  if (syntaxIssues.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      const outOfBounds = checkInputBounds(data);
      if (outOfBounds) return refused(file, outOfBounds);
    } catch (error) {
      syntaxIssues.push({
        file,
        line: 1,
        column: 1,
        field: '',
        problem: `cannot be read: ${(error as Error).message}`,
        accepted: `YAML with at most ${MAX_ALIAS_COUNT} uses of aliases`,
      });
    }
  }

  /** The deepest node along `path`, its key node when the last step is a map key, and how far it got. */
  const walk = (path: readonly (string | number)[]) => {
    let node: unknown = doc.contents;
    let key: Node | undefined;
    let depth = 0;
    for (const part of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === part);
        if (!pair) break;
        key = pair.key as Node;
        node = pair.value;
      } else if (isSeq(node) && typeof part === 'number' && node.items[part] !== undefined) {
        key = undefined;
        node = node.items[part];
      } else break;
      depth += 1;
    }
    return { node: node as Node | null | undefined, key, depth };
  };

  const position = (offset: number | undefined) => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { line: pos.line, column: pos.col };
  };

  return {
    file,
    data,
    syntaxIssues,
    depth: (path) => walk(path).depth,
    place: (issue, at = 'value') => {
      const found = walk(issue.path);
      const exact = found.depth === issue.path.length;
      const target = exact && at === 'key' && found.key ? found.key : (found.node ?? found.key);
      return {
        file,
        ...position(target?.range?.[0]),
        field: fieldPath(issue.path),
        problem: issue.problem,
        accepted: issue.accepted,
      };
    },
  };
}

/** A file refused before it is read: too large, or nested or repeated beyond the input limits. */
function refused(file: string, problem: InputProblem): ScenarioSource {
  const issue: ScenarioIssue = {
    file,
    line: 1,
    column: 1,
    field: problem.path === '$' ? '' : problem.path,
    problem: `cannot be read: ${problem.message}`,
    accepted: `a scenario within the input limits (at most ${INPUT_LIMITS.maxChars} characters, ${INPUT_LIMITS.maxDepth} levels deep)`,
  };
  return { file, data: undefined, syntaxIssues: [issue], depth: () => 0, place: () => issue };
}

/** A built-in scenario has no file: its issues are placed by field only. */
export function builtInSource(name: string, data: unknown): ScenarioSource {
  const file = `built-in ${name}`;
  return {
    file,
    data,
    syntaxIssues: [],
    depth: (path) => {
      let node: unknown = data;
      let depth = 0;
      for (const part of path) {
        if (typeof node !== 'object' || node === null || !(part in node)) break;
        node = (node as Record<string | number, unknown>)[part];
        depth += 1;
      }
      return depth;
    },
    place: (issue) => ({
      file,
      line: 0,
      column: 0,
      field: fieldPath(issue.path),
      problem: issue.problem,
      accepted: issue.accepted,
    }),
  };
}
