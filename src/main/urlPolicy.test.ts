import { describe, expect, it } from 'vitest';
import { appOrigins, isAppUrl } from './urlPolicy';

const origins = { rendererRoot: 'file:///opt/bps/out/renderer/' };
const dev = { ...origins, devServerUrl: 'http://localhost:5173' };

describe('isAppUrl', () => {
  it('accepts the app pages', () => {
    expect(isAppUrl('file:///opt/bps/out/renderer/index.html', origins)).toBe(true);
    expect(isAppUrl('file:///opt/bps/out/renderer/index.html#/x?y=1', origins)).toBe(true);
    expect(isAppUrl('http://localhost:5173/src/main.tsx', dev)).toBe(true);
  });

  it('refuses everything else, including look-alikes', () => {
    for (const url of [
      'https://example.com/',
      'file:///opt/bps/out/renderer-evil/index.html',
      'file:///opt/bps/out/renderer/../../secret.html',
      'file:///opt/bps/out/renderer/%2e%2e/%2e%2e/secret.html',
      'file://remote-host/opt/bps/out/renderer/index.html',
      'javascript:alert(1)',
      'data:text/html,hi',
      'not a url',
      '',
    ]) {
      expect(isAppUrl(url, origins), url).toBe(false);
    }
    expect(isAppUrl('http://localhost:5173@evil.example/', dev)).toBe(false);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppUrl('https://localhost:5173/', dev)).toBe(false);
    expect(isAppUrl('http://localhost:5173/', origins)).toBe(false);
  });

  it('never throws, and refuses malformed escapes and encoded separators or dot-segments', () => {
    for (const url of [
      'file:///opt/bps/out/renderer/evil%ZZ.html',
      'file:///opt/bps/out/renderer/%E0%A4%A.html',
      'file:///opt/bps/out/renderer/..%2F..%2Fsecret.html',
      'file:///opt/bps/out/renderer/..%2f..%2fsecret.html',
      'file:///opt/bps/out/renderer/x%2F..%2F..%2F..%2Fsecret.html',
      'file:///opt/bps/out/renderer/..%5C..%5Csecret.html',
      'file:///opt/bps/out/renderer/%2E%2E',
      'file:///opt/bps/out/renderer/a%00.html',
      'file:///opt/bps/out/renderer',
      'file:///opt/bps/out/renderer%2Findex.html',
    ]) {
      expect(() => isAppUrl(url, origins), url).not.toThrow();
      expect(isAppUrl(url, origins), url).toBe(false);
    }
    // A root that is itself malformed, or a malformed dev-server URL, refuses rather than throws.
    expect(isAppUrl('file:///opt/%ZZ/index.html', { rendererRoot: 'file:///opt/%ZZ/' })).toBe(false);
    expect(isAppUrl('http://localhost:5173/', { ...origins, devServerUrl: 'not a url' })).toBe(false);
    // An encoded but harmless character still names an app page.
    expect(isAppUrl('file:///opt/bps/out/renderer/assets/a%20b.js', origins)).toBe(true);
  });

  it('honours the dev-server URL only in an unpackaged build', () => {
    const root = 'file:///opt/bps/out/renderer/';
    expect(appOrigins(root, 'http://localhost:5173', false).devServerUrl).toBe('http://localhost:5173');
    expect(appOrigins(root, 'http://localhost:5173', true).devServerUrl).toBeUndefined();
    expect(isAppUrl('http://localhost:5173/', appOrigins(root, 'http://localhost:5173', true))).toBe(false);
    expect(appOrigins(root, undefined, false)).toEqual({ rendererRoot: root });
  });
});
