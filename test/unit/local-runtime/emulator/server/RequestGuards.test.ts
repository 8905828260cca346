import { describe, expect, it } from 'vitest';
import { RequestGuards } from '../../../../../local-runtime/emulator/server/RequestGuards.js';

describe('RequestGuards', () => {
  const guards = new RequestGuards({ host: '127.0.0.1' });

  it.each([
    ['localhost:8000', true],
    ['LOCALHOST.', true],
    ['app.localhost:3000', true],
    ['127.0.0.1:8000', true],
    ['192.168.1.20:8000', true],
    ['[::1]:8000', true],
    ['[fe80::1]', true],
    [undefined, true],
    ['evil.example', false],
    ['evil.example:8000', false],
    ['localhost.evil.example', false],
    ['127.0.0.1.evil.example', false],
    ['', false],
  ])('Host %s served: %s (a rebound DNS name is never an IP literal)', (host, served) => {
    expect(guards.hostAllowed(host)).toBe(served);
  });

  it('serves the configured host and the allowed names, case and port aside', () => {
    const named = new RequestGuards({ host: 'devbox.lan', allowHosts: ['Dev.Internal'] });
    expect(named.hostAllowed('DEVBOX.lan:8000')).toBe(true);
    expect(named.hostAllowed('dev.internal')).toBe(true);
    expect(named.hostAllowed('other.lan')).toBe(false);
    expect(new RequestGuards({ allowHosts: ['*'] }).hostAllowed('anything.example')).toBe(true);
  });

  it.each([
    ['http://localhost:3000', 'http://localhost:3000'],
    ['http://localhost', 'http://localhost'],
    ['https://127.0.0.1:5173', 'https://127.0.0.1:5173'],
    ['http://[::1]:8080', 'http://[::1]:8080'],
    ['http://app.localhost:3000', 'http://app.localhost:3000'],
    [undefined, undefined],
    ['http://evil.example', false],
    ['http://localhost.evil.example', false],
    ['http://localhost:3000.evil.example', false],
    ['null', false],
    ['file://', false],
  ])('Origin %s is granted %s', (origin, grant) => {
    expect(guards.originGrant(origin)).toBe(grant);
  });

  it('grants listed origins as browsers spell them, or every origin with *', () => {
    const listed = new RequestGuards({ allowOrigins: ['HTTPS://Admin.Example:8443/'] });
    expect(listed.originGrant('https://admin.example:8443')).toBe('https://admin.example:8443');
    expect(listed.originGrant('https://admin.example')).toBe(false);
    expect(new RequestGuards({ allowOrigins: ['*'] }).originGrant('http://evil.example')).toBe('*');
  });

  it('refuses malformed options', () => {
    expect(() => new RequestGuards({ allowOrigins: ['admin.example'] })).toThrow(/scheme:\/\/host/);
    expect(() => new RequestGuards({ allowOrigins: ['https://a.example/path'] })).toThrow(/scheme:\/\/host/);
    expect(() => new RequestGuards({ allowHosts: [' '] })).toThrow(/--allow-host needs a host name/);
  });

  it('refuses a foreign Host before looking at the Origin, with 403 in DynamoDB error shape', () => {
    const error = guards.check('evil.example', 'http://localhost:3000');
    expect(error?.statusCode).toBe(403);
    expect(error?.toBody()).toMatchObject({ __type: 'com.amazon.coral.service#AccessDeniedException' });
    expect(error?.message).toMatch(/^Host "evil.example"/);
    expect(guards.check('localhost', 'http://evil.example')?.message).toMatch(
      /^Origin "http:\/\/evil.example"/,
    );
    expect(guards.check('localhost', undefined)).toBeUndefined();
  });
});
