import { buildServer } from '@eks-sim/server';
import { describe, expect, it } from 'vitest';
import { hostGuard } from '../../packages/server/src/host-guard';

describe('DNS-rebinding guard (Host header)', () => {
  it('bound to loopback, Host: evil.example on POST /api/sessions is refused with a clear message and no session is made', async () => {
    const { app, store } = await buildServer({ host: '127.0.0.1' });
    const sessions = store.size;
    const res = await app.inject({
      method: 'POST',
      url: '/api/sessions',
      headers: { host: 'evil.example' },
      payload: {},
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'HostNotAllowed' });
    expect(res.json().message).toMatch(/does not answer for the host name "evil\.example".*--allow-host evil\.example/);
    expect(store.size).toBe(sessions);
    for (const host of ['localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'app.localhost']) {
      const ok = await app.inject({ method: 'GET', url: '/api/health', headers: { host } });
      expect(ok.statusCode, host).toBe(200);
    }
    await app.close();
  });

  it('refuses in the shape of each surface', async () => {
    const { app } = await buildServer({ host: '127.0.0.1' });
    const headers = { host: 'evil.example' };
    const aws = await app.inject({ method: 'GET', url: '/clusters', headers });
    expect(aws.statusCode).toBe(403);
    expect(aws.headers['x-amzn-errortype']).toBe('AccessDeniedException');
    const k8s = await app.inject({ method: 'GET', url: '/k8s/default/myeks/version', headers });
    expect(k8s.json()).toMatchObject({ kind: 'Status', code: 403, reason: 'Forbidden' });
    await app.close();
  });

  it('names given with --allow-host are answered; bound to 0.0.0.0 so are IP addresses, but not other names', async () => {
    const { app } = await buildServer({ host: '0.0.0.0', allowedHosts: ['teacher.local'] });
    const status = async (host: string) =>
      (await app.inject({ method: 'GET', url: '/api/health', headers: { host } })).statusCode;
    expect(await status('teacher.local:3000')).toBe(200);
    expect(await status('TEACHER.LOCAL.')).toBe(200);
    expect(await status('192.168.1.20:3000')).toBe(200);
    expect(await status('evil.example:3000')).toBe(403);
    await app.close();
  });

  it('bound to loopback, a non-loopback address as Host is refused too', () => {
    const refused = hostGuard('127.0.0.1', []);
    expect(refused('192.168.1.20:3000')).toBeDefined();
    expect(refused('127.0.0.2')).toBeUndefined();
    expect(refused(undefined)).toBeUndefined();
  });
});
