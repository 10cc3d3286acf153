import { checkInputBounds, checkYamlTextBounds, INPUT_LIMITS, parseJsonBounded, scenarios } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';

const nested = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe('bounded input', () => {
  it('refuses JSON nested 100,000 deep without overflowing the stack, naming the limit and the path', () => {
    const result = parseJsonBounded(`{"type":"cluster.create","tags":{"k":${nested(100_000)}}}`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.limit).toBe('maxDepth');
    expect(result.problem.path.startsWith('tags.k[0]')).toBe(true);
    expect(result.problem.message).toMatch(/nested too deeply \(at most 64 levels/);
  });

  it('accepts ordinary JSON at the depth limit and returns the parsed value', () => {
    const atLimit = nested(INPUT_LIMITS.maxDepth);
    expect(parseJsonBounded(atLimit).ok).toBe(true);
    expect(parseJsonBounded('{"a":[1,-0,1e308,"ü"]}')).toEqual({ ok: true, value: { a: [1, -0, 1e308, 'ü'] } });
  });

  it('refuses text, strings, lists and totals past their limits, saying which', () => {
    const small = { ...INPUT_LIMITS, maxChars: 100, maxStringChars: 5, maxEntries: 3, maxNodes: 10 };
    const refused = (text: string) => {
      const result = parseJsonBounded(text, small);
      return result.ok ? undefined : result.problem;
    };
    expect(refused('x'.repeat(101))?.limit).toBe('maxChars');
    expect(refused('{"name":"abcdef"}')).toMatchObject({ limit: 'maxStringChars', path: 'name' });
    expect(refused('{"ids":[1,2,3,4]}')).toMatchObject({ limit: 'maxEntries', path: 'ids' });
    expect(refused('[[1,2,3],[1,2,3],[1,2]]')?.limit).toBe('maxNodes');
    expect(refused('{"a": }')?.limit).toBe('syntax');
  });

  it('checks values parsed elsewhere (YAML) the same way, and refuses __proto__ keys', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = { child: deep };
    expect(checkInputBounds({ cluster: deep })).toMatchObject({ limit: 'maxDepth' });
    expect(checkInputBounds(JSON.parse('{"tags":{"__proto__":{"x":1}}}'))).toMatchObject({
      limit: 'key',
      path: 'tags.__proto__',
    });
    expect(checkInputBounds({ tags: { team: 'a' } })).toBeUndefined();
  });

  it('refuses YAML text nested deeply in flow brackets or block indicators before a parser recurses into it', () => {
    expect(checkYamlTextBounds(`a: ${nested(30_000)}`)).toMatchObject({ limit: 'maxDepth' });
    expect(checkYamlTextBounds(`${'- '.repeat(30_000)}x`)).toMatchObject({ limit: 'maxDepth' });
    expect(checkYamlTextBounds(`${'? '.repeat(30_000)}x`)).toMatchObject({ limit: 'maxDepth' });
    // An apostrophe inside a word opens no quote, so brackets after it still count.
    expect(checkYamlTextBounds(`title: it's\nb: ${nested(1000)}`)).toMatchObject({ limit: 'maxDepth' });
  });

  it('passes every built-in scenario, as YAML and as JSON, and brackets inside quotes or comments', () => {
    for (const scenario of Object.values(scenarios)) {
      expect(checkYamlTextBounds(stringify(scenario))).toBeUndefined();
      expect(checkYamlTextBounds(JSON.stringify(scenario, null, 2))).toBeUndefined();
    }
    expect(
      checkYamlTextBounds(`a: "${'['.repeat(200)}"\nb: '${'{'.repeat(200)}' # ${'['.repeat(200)}`),
    ).toBeUndefined();
  });
});
