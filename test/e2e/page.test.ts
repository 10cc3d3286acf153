/**
 * The live page in a real Chromium against the real server: what a class sees on
 * the projector, what a teacher's clicks do, and what a viewer without the token cannot do.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { scenarios } from '@eks-sim/sim-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARTIFACTS,
  browserAvailable,
  buildPageIfStale,
  launchBrowser,
  type RunningServer,
  startServer,
} from './harness';
import { measurePageSource, type PageMeasure } from './page-geometry';

const available = browserAvailable();

describe.skipIf(!available)('the live page in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let teacher: Page;
  const pageErrors: string[] = [];
  const requested: string[] = [];

  const kind = (page: Page, dataKind: string) => page.locator(`svg.architecture [data-kind="${dataKind}"]`);
  const leader = (page: Page) => kind(page, 'etcd').and(page.locator('[data-leader="true"]'));

  beforeAll(async () => {
    buildPageIfStale();
    server = await startServer();
    browser = await launchBrowser();
    teacher = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    teacher.on('pageerror', (error) => pageErrors.push(error.message));
    teacher.on('request', (request) => requested.push(request.url()));
    teacher.on('websocket', (socket) => requested.push(socket.url()));
    await teacher.goto(`${server.baseUrl}/?session=${server.sessionId}&token=${server.token}`);
    await teacher.locator('svg.architecture [data-kind="apiserver"]').first().waitFor({ timeout: 15_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('draws the seed cluster: at least 2 API servers, 3 etcd members and 3 NLB nodes, at 1280×720 and 1920×1080', async () => {
    expect(await kind(teacher, 'apiserver').count()).toBeGreaterThanOrEqual(2);
    expect(await kind(teacher, 'etcd').count()).toBe(3);
    expect(await kind(teacher, 'nlb').count()).toBe(3);
    expect(await leader(teacher).count()).toBe(1);
    await expect.poll(() => teacher.locator('#role').textContent()).toBe('controlling');
    // An hour of simulated time, so the charts have a history to show in the screenshots.
    await teacher.locator('[data-control="step-size"]').selectOption(String(3_600_000));
    await teacher.locator('[data-control="step"]').click();
    await expect
      .poll(() => teacher.locator('[data-kind="chart"][data-id="load"]').getAttribute('data-state'), { timeout: 5000 })
      .toMatch(/^([3-9]|\d\d+) points$/);
    await teacher.screenshot({ path: join(ARTIFACTS, 'viz-1280x720.png') });
    await teacher.setViewportSize({ width: 1920, height: 1080 });
    await teacher.screenshot({ path: join(ARTIFACTS, 'viz-1920x1080.png') });
    const box = await teacher.locator('svg.architecture').boundingBox();
    expect(box?.width).toBeGreaterThan(1200);
    await teacher.setViewportSize({ width: 1280, height: 720 });
  });

  it('the terminal runs kubectl version on the bastion and shows the server version', async () => {
    const input = teacher.locator('[data-control="terminal-input"]');
    await input.fill('kubectl version');
    await input.press('Enter');
    await expect
      .poll(() => teacher.locator('[data-kind="terminal-output"]').textContent(), { timeout: 10_000 })
      .toMatch(/Server Version: v1\.28\.\d+-eks-/);
    expect(await teacher.locator('[data-kind="terminal-output"]').textContent()).toContain('bastion$ kubectl version');
  });

  it('space plays and pauses the clock', async () => {
    const playback = teacher.locator('#playback');
    const before = await playback.getAttribute('data-state');
    await teacher.locator('svg.architecture').click({ position: { x: 5, y: 5 } });
    await teacher.keyboard.press(' ');
    await expect.poll(() => playback.getAttribute('data-state'), { timeout: 5000 }).not.toBe(before);
    await teacher.keyboard.press(' ');
    await expect.poll(() => playback.getAttribute('data-state'), { timeout: 5000 }).toBe(before);
  });

  it('failing an AZ through the UI greys it and moves the etcd leader within 2 s of wall time', async () => {
    // At 1000× one server beat (100 ms) is 100 simulated seconds: well past the election bound.
    await teacher.locator('[data-control="speed"]').selectOption('1000');
    if ((await teacher.locator('[data-control="play"]').getAttribute('data-state')) !== 'playing') {
      await teacher.locator('[data-control="play"]').click();
    }
    await expect.poll(() => teacher.locator('#playback').getAttribute('data-state')).toBe('playing');
    const oldLeader = await leader(teacher).getAttribute('data-id');
    const az = (await leader(teacher).getAttribute('data-az'))!;
    await teacher.locator('[data-control="fault-az"]').selectOption(az);
    await teacher.locator('[data-control="fail-az"]').click();
    const zone = teacher.locator(`svg.architecture [data-kind="az"][data-id="${az}"]`);
    await expect.poll(() => zone.getAttribute('data-state'), { timeout: 2000, interval: 50 }).toBe('down');
    await expect.poll(() => zone.getAttribute('class'), { timeout: 2000, interval: 50 }).toContain('failed');
    await expect
      .poll(async () => ((await leader(teacher).count()) === 1 ? leader(teacher).getAttribute('data-id') : null), {
        timeout: 2000,
        interval: 50,
      })
      .not.toMatch(new RegExp(`^(${oldLeader}|null)$`));
    expect(await leader(teacher).getAttribute('data-az')).not.toBe(az);
    await teacher.screenshot({ path: join(ARTIFACTS, 'viz-az-down-1280x720.png') });

    await teacher.locator('[data-control="recover-az"]').click();
    await expect.poll(() => zone.getAttribute('data-state'), { timeout: 5000 }).toBe('up');
    await teacher.locator('[data-control="play"]').click();
    await expect.poll(() => teacher.locator('#playback').getAttribute('data-state')).toBe('paused');
  });

  it("switching to private mode turns the bastion's path red with the reason, until the bastion is allowed on 443", async () => {
    const bastionPath = teacher.locator('svg.architecture [data-kind="path"][data-id="bastion"]');
    expect(await bastionPath.getAttribute('data-state')).toBe('reachable');
    await teacher.locator('[data-control="endpoint-mode"]').selectOption('private');
    await teacher.locator('[data-control="endpoint-apply"]').click();
    await expect.poll(() => teacher.locator('[data-kind="control-status"]').getAttribute('data-state')).toBe('ok');
    // EKS takes minutes to apply an EndpointAccessUpdate: let an hour of simulated time pass.
    await teacher.locator('[data-control="step-size"]').selectOption(String(3_600_000));
    await teacher.locator('[data-control="step"]').click();
    await expect.poll(() => bastionPath.getAttribute('data-state'), { timeout: 5000 }).toBe('refused');
    const reason = await bastionPath.getAttribute('data-reason');
    expect(reason).toMatch(/443/);
    expect(await bastionPath.locator('path.line').getAttribute('stroke')).toBe('#D55E00');
    expect(await bastionPath.locator('.refusal-label').textContent()).toContain('bastion');
    expect(await bastionPath.getAttribute('data-fix')).toMatch(/443/);
    await teacher.screenshot({ path: join(ARTIFACTS, 'viz-private-lockout-1280x720.png') });

    await teacher.locator('[data-control="allow-bastion-443"]').click();
    await expect.poll(() => bastionPath.getAttribute('data-state'), { timeout: 5000 }).toBe('reachable');
  });

  it('a viewer without the token sees the "viewing" badge, no controls, and cannot change the session', async () => {
    const viewer = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    viewer.on('pageerror', (error) => pageErrors.push(error.message));
    await viewer.goto(`${server.baseUrl}/?session=${server.sessionId}`);
    await viewer.locator('svg.architecture [data-kind="apiserver"]').first().waitFor({ timeout: 15_000 });
    await expect.poll(() => viewer.locator('#role').textContent()).toBe('viewing');
    expect(await viewer.locator('[data-kind="controls"]').isVisible()).toBe(false);
    expect(await viewer.locator('[data-control="terminal-input"]').isDisabled()).toBe(true);
    expect(await viewer.locator('[data-control="lesson-run"]').isDisabled()).toBe(true);

    const clockBefore = await viewer.locator('#clock').getAttribute('data-state');
    await viewer.locator('svg.architecture').click({ position: { x: 5, y: 5 } });
    await viewer.keyboard.press('.');
    const answer = (await viewer.evaluate(
      `window.eksSim.send({ type: 'command', command: { type: 'fault.az', az: 'apne2-az1' } })`,
    )) as { ok: boolean; error?: string };
    expect(answer).toMatchObject({ ok: false, error: 'Forbidden' });
    await viewer.waitForTimeout(300);
    expect(await viewer.locator('#clock').getAttribute('data-state')).toBe(clockBefore);
    expect(
      await viewer.locator('svg.architecture [data-kind="az"][data-id="apne2-az1"]').getAttribute('data-state'),
    ).toBe('up');
    await viewer.screenshot({ path: join(ARTIFACTS, 'viz-viewer-1280x720.png') });

    // Handed the token, the viewer takes control from the badge.
    viewer.once('dialog', (dialog) => void dialog.accept(server.token));
    await viewer.locator('#role').click();
    await expect.poll(() => viewer.locator('#role').textContent(), { timeout: 10_000 }).toBe('controlling');
    expect(await viewer.locator('[data-kind="controls"]').isVisible()).toBe(true);
    await viewer.close();
  });

  it('a wrong token is refused with a visible explanation, not silently turned into a viewer', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(`${server.baseUrl}/?session=${server.sessionId}&token=not-the-token`);
    await expect.poll(() => page.locator('#banner').textContent(), { timeout: 10_000 }).toContain('control token');
    expect(await page.locator('#connection').getAttribute('data-state')).toBe('refused');
    expect(await page.locator('#role').textContent()).not.toBe('viewing');
    await page.close();
  });

  // Issue 18: the page on a classroom projector. Every built-in scenario, at the start and
  // then (cumulatively) under a ×10 spike, with an AZ down, and locked out by a private
  // endpoint; at three screen sizes and in presenter mode. Screenshots: test-artifacts/layout/.
  const sizes = [
    [1280, 720],
    [1440, 900],
    [1920, 1080],
  ] as const;
  const moments: readonly { name: string; messages: (az: string) => unknown[] }[] = [
    { name: 'start', messages: () => [] },
    {
      name: 'spike',
      messages: () => [
        { type: 'command', command: { type: 'load.spike', factor: 10, duration: '2h' } },
        { type: 'clock', action: 'step', ms: 15 * 60_000 },
      ],
    },
    {
      name: 'az-down',
      messages: (az) => [
        { type: 'command', command: { type: 'fault.az', az } },
        { type: 'clock', action: 'step', ms: 5 * 60_000 },
      ],
    },
    {
      name: 'lockout',
      messages: () => [
        { type: 'command', command: { type: 'endpoint.update', public: false, private: true } },
        { type: 'clock', action: 'step', ms: 30 * 60_000 },
      ],
    },
  ];
  const layoutShots = join(ARTIFACTS, 'layout');

  async function settle(page: Page): Promise<void> {
    await page.waitForTimeout(250);
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  }

  for (const name of Object.keys(scenarios)) {
    it(`${name}: no text overflows or overlaps a label or a box, and every text reads at 4.5:1, at the start, spike, AZ down and lockout, at ${sizes.map(([w, h]) => `${w}×${h}`).join(', ')} and in presenter mode`, async () => {
      mkdirSync(layoutShots, { recursive: true });
      const created = (await (
        await fetch(`${server.baseUrl}/api/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ scenario: name }),
        })
      ).json()) as { id: string; token: string };
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      page.on('pageerror', (error) => pageErrors.push(`${name}: ${error.message}`));
      // No travelling packets or transitions: the picture holds still to be measured.
      await page.emulateMedia({ reducedMotion: 'reduce' });
      await page.goto(`${server.baseUrl}/?session=${created.id}&token=${created.token}`);
      await page.locator('svg.architecture [data-kind="customer-vpc"]').waitFor({ timeout: 15_000 });
      await expect.poll(() => page.locator('#role').textContent()).toBe('controlling');
      const problems: string[] = [];
      let measured = 0;
      // Every moment is photographed at 1280×720 and in presenter mode; the larger sizes are
      // measured at every moment and photographed at the last.
      const check = async (label: string, photograph = true) => {
        await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
        const result = (await page.evaluate(`(${measurePageSource})()`)) as PageMeasure;
        measured += result.texts;
        for (const p of result.geometry) problems.push(`${label}: ${p.rule}: ${p.what} / ${p.other}`);
        for (const c of result.contrast)
          problems.push(`${label}: contrast ${c.ratio}:1 for ${c.text} (${c.fill} on ${c.background})`);
        if (photograph) await page.screenshot({ path: join(layoutShots, `${name}-${label}.png`) });
      };
      for (const moment of moments) {
        const az = (await page.evaluate(`window.eksSim.state?.controlPlane?.azs?.[0]?.id ?? 'apne2-az1'`)) as string;
        for (const message of moment.messages(az))
          await page.evaluate(`window.eksSim.send(${JSON.stringify(message)})`);
        // The server sends the change with its next update (at most 100 ms later).
        await settle(page);
        for (const [width, height] of sizes) {
          await page.setViewportSize({ width, height });
          await check(`${moment.name}-${width}x${height}`, width === 1280 || moment === moments.at(-1));
        }
        await page.setViewportSize({ width: 1280, height: 720 });
        await page.locator('#presenter-toggle').click();
        await check(`${moment.name}-presenter-1280x720`);
        await page.locator('#presenter-toggle').click();
      }
      await page.close();
      expect(measured).toBeGreaterThan(100);
      expect(problems).toEqual([]);
    });
  }

  it('raised no error in the page and fetched nothing but its own server (works offline: no CDN, no web fonts)', () => {
    expect(pageErrors).toEqual([]);
    const own = [server.baseUrl, server.baseUrl.replace(/^http/, 'ws')];
    expect(
      requested.filter((url) => !own.some((origin) => url.startsWith(`${origin}/`)) && !url.startsWith('data:')),
    ).toEqual([]);
    expect(requested.some((url) => url.includes('/assets/'))).toBe(true);
  });
});
