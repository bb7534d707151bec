import { describe, expect, it } from 'vitest';
import { isAppUrl } from './urlPolicy';

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
});
