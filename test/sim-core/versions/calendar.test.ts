import {
  calendarRow,
  EKS_CALENDAR,
  kubeletSkew,
  nextBoundary,
  serverVersionInfo,
  supportPhase,
  validateCreateVersion,
  versionsOffered,
} from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';

const at = (iso: string) => Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);

describe('the EKS release calendar', () => {
  it('matches the AWS calendar dates in AWS EKS User Guide, kubernetes-versions.html, row by row', () => {
    // EKS release → end of standard → end of extended, as AWS EKS User Guide, kubernetes-versions.html lists them (AWS user guide).
    const facts: Record<string, [string, string, string, string]> = {
      '1.23': ['2021-12-07', '2022-08-11', '2023-10-11', '2024-10-11'],
      '1.24': ['2022-05-03', '2022-11-15', '2024-01-31', '2025-01-31'],
      '1.25': ['2022-08-23', '2023-02-22', '2024-05-01', '2025-05-01'],
      '1.26': ['2022-12-09', '2023-04-11', '2024-06-11', '2025-06-11'],
      '1.27': ['2023-04-11', '2023-05-24', '2024-07-24', '2025-07-24'],
      '1.28': ['2023-08-15', '2023-09-26', '2024-11-26', '2025-11-26'],
      '1.29': ['2023-12-13', '2024-01-23', '2025-03-23', '2026-03-23'],
      '1.30': ['2024-04-17', '2024-05-23', '2025-07-23', '2026-07-23'],
      '1.31': ['2024-08-13', '2024-09-26', '2025-11-26', '2026-11-26'],
      '1.32': ['2024-12-11', '2025-01-23', '2026-03-23', '2027-03-23'],
      '1.33': ['2025-04-23', '2025-05-29', '2026-07-29', '2027-07-29'],
      '1.34': ['2025-08-27', '2025-10-02', '2026-12-02', '2027-12-02'],
      '1.35': ['2025-12-17', '2026-01-27', '2027-03-27', '2028-03-27'],
    };
    for (const [version, [upstream, release, standard, extended]] of Object.entries(facts)) {
      expect(calendarRow(version), version).toMatchObject({
        upstreamRelease: upstream,
        eksRelease: release,
        endOfStandard: standard,
        endOfExtended: extended,
      });
    }
  });

  it('runs from 1.23 to the newest version, one minor at a time, every row with a source and real dates', () => {
    const versions = EKS_CALENDAR.map((r) => r.version);
    expect(versions[0]).toBe('1.23');
    expect(versions).toContain('1.36');
    expect(versions).toEqual(versions.map((_, i) => `1.${23 + i}`));
    for (const row of EKS_CALENDAR) {
      expect(row.source.length, row.version).toBeGreaterThan(10);
      for (const d of [row.upstreamRelease, row.eksRelease, row.endOfStandard, row.endOfExtended]) {
        expect(new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10)).toBe(d);
      }
      expect(row.upstreamRelease < row.eksRelease && row.eksRelease < row.endOfStandard).toBe(true);
      expect(row.endOfStandard < row.endOfExtended).toBe(true);
    }
  });

  it('gives every version released since 1.26 twelve months of extended support after its end of standard', () => {
    for (const row of EKS_CALENDAR.filter((r) => Number(r.version.split('.')[1]) >= 26)) {
      const standard = new Date(`${row.endOfStandard}T00:00:00Z`);
      standard.setUTCFullYear(standard.getUTCFullYear() + 1);
      expect(standard.toISOString().slice(0, 10), row.version).toBe(row.endOfExtended);
    }
  });
});

describe('support phase on a date, to the day (boundaries at 00:00 UTC)', () => {
  it('1.28 is in standard support on 2024-03-10 and until the last millisecond of 2024-11-25', () => {
    expect(supportPhase('1.28', at('2024-03-10'))).toBe('standard');
    expect(supportPhase('1.28', at('2024-11-25T23:59:59.999Z'))).toBe('standard');
  });

  it('1.28 is in extended support from 00:00 UTC on 2024-11-26, and on 2025-06-01', () => {
    expect(supportPhase('1.28', at('2024-11-26'))).toBe('extended');
    expect(supportPhase('1.28', at('2025-06-01'))).toBe('extended');
    expect(supportPhase('1.28', at('2025-11-25T23:59:59.999Z'))).toBe('extended');
  });

  it('1.28 is unsupported from 2025-11-26, and 1.36 not yet released before 2026-06-02', () => {
    expect(supportPhase('1.28', at('2025-11-26'))).toBe('unsupported');
    expect(supportPhase('1.36', at('2026-06-01T23:59:59Z'))).toBe('not-yet-released');
    expect(supportPhase('1.36', at('2026-06-02'))).toBe('standard');
  });

  it('refuses to judge a version that is not in the calendar', () => {
    expect(() => supportPhase('1.22', 0)).toThrow(/not in the EKS calendar/);
  });
});

describe('versions offered for a new cluster', () => {
  it('in March 2024: 1.23 to 1.29, standard and extended alike', () => {
    expect(versionsOffered(at('2024-03-10'))).toEqual(['1.23', '1.24', '1.25', '1.26', '1.27', '1.28', '1.29']);
  });

  it('on 2026-11-25: 1.31 (its last day of extended support) to 1.36', () => {
    expect(versionsOffered(at('2026-11-25'))).toEqual(['1.31', '1.32', '1.33', '1.34', '1.35', '1.36']);
  });

  it('EKS refuses to create a cluster on a retired or unknown version, naming what it offers', () => {
    expect(validateCreateVersion('1.28', at('2024-03-10'))).toBeUndefined();
    expect(validateCreateVersion('1.28', at('2025-11-26'))).toMatch(/^unsupported Kubernetes version 1\.28 .*1\.29/);
    expect(validateCreateVersion('1.99', at('2024-03-10'))).toMatch(/unsupported Kubernetes version 1\.99/);
  });
});

describe('the next boundary of a cluster', () => {
  it('EXTENDED: end of standard enters extended support, end of extended upgrades to N+1', () => {
    expect(nextBoundary('1.28', 'EXTENDED', at('2024-03-10'))).toMatchObject({
      date: '2024-11-26',
      action: 'enters-extended-support',
    });
    expect(nextBoundary('1.28', 'EXTENDED', at('2024-12-01'))).toMatchObject({
      date: '2025-11-26',
      action: 'automatic-upgrade',
      upgradeTo: '1.29',
    });
  });

  it('STANDARD: the automatic upgrade comes at the end of standard support', () => {
    expect(nextBoundary('1.28', 'STANDARD', at('2024-03-10'))).toMatchObject({
      kind: 'end-of-standard-support',
      date: '2024-11-26',
      action: 'automatic-upgrade',
      upgradeTo: '1.29',
    });
  });
});

describe('kubelet version skew (kubernetes.io Version Skew Policy)', () => {
  it('allows three minors behind from API server 1.28, two before it, never newer', () => {
    expect(kubeletSkew('1.31', '1.28').status).toBe('at-limit');
    expect(kubeletSkew('1.32', '1.28').status).toBe('beyond-policy');
    expect(kubeletSkew('1.27', '1.25').status).toBe('at-limit');
    expect(kubeletSkew('1.27', '1.24').status).toBe('beyond-policy');
    expect(kubeletSkew('1.29', '1.28').status).toBe('within-policy');
    expect(kubeletSkew('1.28', '1.29').status).toBe('newer-than-api-server');
    expect(kubeletSkew('1.28', '1.28')).toEqual({ minorsBehind: 0, status: 'same' });
  });
});

describe('/version as EKS serves it', () => {
  it('has the Kubernetes version.Info shape with an -eks- gitVersion', () => {
    const info = serverVersionInfo('1.28');
    expect(info).toMatchObject({
      major: '1',
      minor: '28+',
      gitTreeState: 'clean',
      compiler: 'gc',
      platform: 'linux/amd64',
    });
    expect(info?.gitVersion).toMatch(/^v1\.28\.\d+-eks-[0-9a-f]{7}$/);
    expect(info?.gitCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(serverVersionInfo('1.28')).toEqual(info);
    expect(serverVersionInfo('1.22')).toBeUndefined();
  });
});
