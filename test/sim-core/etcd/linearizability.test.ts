import { describe, expect, it } from 'vitest';
import type { ClientHistoryView, ClientOp } from '../../../packages/sim-core/src/etcd/client-history';
import { ClientHistory } from '../../../packages/sim-core/src/etcd/client-history';
import { checkLinearizable } from '../../../packages/sim-core/src/invariants/linearizability';

/** A history written as calls and returns in order: `w k v` write, `r k v` read returning v. */
function build(script: (h: ClientHistory) => void): ClientHistoryView {
  const h = new ClientHistory();
  script(h);
  return h.view();
}
const write = (h: ClientHistory, key: string, value: string, t = 0): ClientOp => h.invoke('c', 'write', key, value, t);
const read = (h: ClientHistory, key: string, t = 0): ClientOp => h.invoke('c', 'read', key, null, t);

describe('linearizability of a key-value history (Wing-Gong search with memoisation)', () => {
  it('accepts reads that see the last acknowledged write', () => {
    const view = build((h) => {
      h.complete(write(h, 'a', '1'), 'ok', 0);
      h.complete(read(h, 'a'), 'ok', 0, '1');
      h.complete(write(h, 'a', '2'), 'ok', 0);
      h.complete(read(h, 'a'), 'ok', 0, '2');
      h.complete(read(h, 'b'), 'ok', 0, null);
    });
    expect(checkLinearizable(view, 0)).toEqual([]);
  });

  it('rejects a read of a value overwritten before the read began (a lost acknowledged write)', () => {
    const view = build((h) => {
      h.complete(write(h, 'a', '1'), 'ok', 0);
      h.complete(write(h, 'a', '2'), 'ok', 0);
      h.complete(read(h, 'a'), 'ok', 0, '1');
    });
    const found = checkLinearizable(view, 5);
    expect(found.map((v) => v.invariant)).toEqual(['etcd-linearizable']);
    expect(found[0]?.message).toContain('key a');
  });

  it('rejects a read of a value nobody wrote, and a stale read of the initial value', () => {
    expect(
      checkLinearizable(
        build((h) => h.complete(read(h, 'a'), 'ok', 0, '9')),
        0,
      ),
    ).toHaveLength(1);
    const stale = build((h) => {
      h.complete(write(h, 'a', '1'), 'ok', 0);
      h.complete(read(h, 'a'), 'ok', 0, null);
    });
    expect(checkLinearizable(stale, 0)).toHaveLength(1);
  });

  it('lets overlapping operations take effect in either order', () => {
    const view = build((h) => {
      const w = write(h, 'a', '1');
      const r = read(h, 'a');
      h.complete(r, 'ok', 0, '1');
      h.complete(w, 'ok', 0);
    });
    expect(checkLinearizable(view, 0)).toEqual([]);
  });

  it('lets a write of unknown outcome take effect later or never, but not be undone once seen', () => {
    const seenOrNot = build((h) => {
      h.complete(write(h, 'a', '1'), 'ok', 0);
      h.complete(write(h, 'a', '2'), 'unknown', 0);
      h.complete(read(h, 'a'), 'ok', 0, '1');
      h.complete(read(h, 'a'), 'ok', 0, '2');
    });
    expect(checkLinearizable(seenOrNot, 0)).toEqual([]);
    const flapping = build((h) => {
      h.complete(write(h, 'a', '1'), 'ok', 0);
      h.complete(write(h, 'a', '2'), 'unknown', 0);
      h.complete(read(h, 'a'), 'ok', 0, '2');
      h.complete(read(h, 'a'), 'ok', 0, '1');
    });
    expect(checkLinearizable(flapping, 0)).toHaveLength(1);
  });

  it('leaves failed operations out: a failed write never takes effect', () => {
    const view = build((h) => {
      h.complete(write(h, 'a', '1'), 'ok', 0);
      h.complete(write(h, 'a', '2'), 'fail', 0);
      h.complete(read(h, 'a'), 'fail', 0);
      h.complete(read(h, 'a'), 'ok', 0, '1');
    });
    expect(checkLinearizable(view, 0)).toEqual([]);
    const seenFailed = build((h) => {
      h.complete(write(h, 'a', '2'), 'fail', 0);
      h.complete(read(h, 'a'), 'ok', 0, '2');
    });
    expect(checkLinearizable(seenFailed, 0)).toHaveLength(1);
  });

  it('accepts a lost acknowledged write only when a recorded data loss names it', () => {
    const silent = build((h) => {
      h.complete(write(h, 'a', '1'), 'ok', 0);
      h.complete(write(h, 'a', '2'), 'ok', 0);
      h.complete(read(h, 'a'), 'ok', 0, '1');
    });
    expect(checkLinearizable(silent, 0)).toHaveLength(1);
    const declared = build((h) => {
      h.complete(write(h, 'a', '1'), 'ok', 0);
      const lost = write(h, 'a', '2');
      h.complete(lost, 'ok', 0);
      h.recordLoss(1, [lost.id], { a: '1' });
      h.complete(read(h, 'a'), 'ok', 2, '1');
    });
    expect(checkLinearizable(declared, 2)).toEqual([]);
  });

  it('refuses a data loss that names a write sent after it, or restores a value no surviving write left', () => {
    const future = build((h) => {
      h.complete(write(h, 'a', '1'), 'ok', 0);
      h.recordLoss(1, [2], { a: '1' });
      h.complete(write(h, 'a', '2'), 'ok', 2);
    });
    expect(
      checkLinearizable(future, 2)
        .map((v) => v.message)
        .join(),
    ).toContain('not sent before it');
    const invented = build((h) => {
      const lost = write(h, 'a', '2');
      h.complete(lost, 'ok', 0);
      h.recordLoss(1, [lost.id], { a: '7' });
    });
    expect(
      checkLinearizable(invented, 2)
        .map((v) => v.message)
        .join(),
    ).toContain('a=7');
  });

  it('handles long histories with pending unknown writes without blowing up', () => {
    const view = build((h) => {
      for (let i = 0; i < 2_000; i++) {
        if (i % 100 === 50) h.complete(write(h, 'a', `u${i}`), 'unknown', i);
        else h.complete(write(h, 'a', `v${i}`), 'ok', i);
        h.complete(read(h, 'a'), 'ok', i, `v${i % 100 === 50 ? i - 1 : i}`);
      }
    });
    expect(checkLinearizable(view, 0)).toEqual([]);
  });
});
