import { beforeAll, describe, expect, it, vi } from 'vitest';
import { type LoadResult, ScenarioLoader } from '../../packages/viz/src/scenario-loader';
import { installDom } from './dom-setup';

beforeAll(() => {
  installDom();
});

function loaderWith(result: LoadResult) {
  const submit = vi.fn(async () => result);
  const open = vi.fn();
  const loader = new ScenarioLoader({ submit, open });
  document.body.replaceChildren(loader.element);
  return { loader, submit, open };
}

describe('Load scenario…', () => {
  it('lists every issue of a refused file under its own name, with line and column, and opens nothing', async () => {
    const { loader, submit, open } = loaderWith({
      ok: false,
      message: 'scenario is not valid (2 errors)',
      issues: [
        {
          file: 'scenarioText',
          line: 5,
          column: 22,
          field: 'timeline[0].command.type',
          problem: 'unknown command type "no.such.command"',
          accepted: 'one of fault.az, …',
        },
        {
          file: 'scenarioText',
          line: 7,
          column: 36,
          field: 'timeline[1].command.az',
          problem: 'ap-northeast-2 has no control-plane AZ "us-east-1a"',
          accepted: 'one of apne2-az1, apne2-az2, apne2-az3',
        },
      ],
    });
    await loader.loadText('my-class.yaml', 'extends: seed-week1\n');
    expect(submit).toHaveBeenCalledWith('extends: seed-week1\n');
    expect(open).not.toHaveBeenCalled();
    expect(loader.element.querySelector('.scenario-loader-status')?.textContent).toBe(
      'my-class.yaml: 2 errors; nothing was started',
    );
    const lines = [...loader.element.querySelectorAll('[data-kind="scenario-issues"] li')].map((li) => li.textContent);
    expect(lines).toEqual([
      'my-class.yaml:5:22: timeline[0].command.type: unknown command type "no.such.command" (accepted: one of fault.az, …)',
      'my-class.yaml:7:36: timeline[1].command.az: ap-northeast-2 has no control-plane AZ "us-east-1a" (accepted: one of apne2-az1, apne2-az2, apne2-az3)',
    ]);
  });

  it('opens the new session of a valid file', async () => {
    const { loader, open } = loaderWith({ ok: true, id: 's-1', token: 't-1' });
    await loader.loadText('ok.yaml', 'extends: az-outage\n');
    expect(open).toHaveBeenCalledWith({ id: 's-1', token: 't-1' });
    expect(loader.element.querySelectorAll('[data-kind="scenario-issues"] li')).toHaveLength(0);
  });

  it('refuses a file over the server’s limit without sending it', async () => {
    const { loader, submit } = loaderWith({ ok: true, id: 'x', token: 'y' });
    await loader.loadText('huge.yaml', 'x'.repeat(60_001));
    expect(submit).not.toHaveBeenCalled();
    expect(loader.element.querySelector('.scenario-loader-status')?.textContent).toMatch(/too large/);
  });
});
