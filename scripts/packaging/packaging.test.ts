// `npm run dist` needs the Electron binary, which cannot be downloaded here; this test checks what
// it would build: the targets, the ASAR archive, the afterPack hook and the fuses it flips.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fuses from '@electron/fuses';
import { describe, expect, it, vi } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const config = JSON.parse(readFileSync(path.join(ROOT, 'electron-builder.json'), 'utf8')) as Record<string, unknown>;
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  main: string;
};

describe('packaging (electron-builder)', () => {
  it('builds the app first, then AppImage and deb, dmg and nsis installers from an ASAR archive', () => {
    expect(pkg.scripts['dist']).toBe('electron-vite build && electron-builder --config electron-builder.json');
    expect(config['asar']).toBe(true);
    expect(config['linux']).toMatchObject({ target: ['AppImage', 'deb'] });
    expect(config['mac']).toMatchObject({ target: ['dmg'] });
    expect(config['win']).toMatchObject({ target: ['nsis'] });
    // The packaged files hold the build output the main entry points at, and the resources.
    expect(pkg.main.startsWith('./out/')).toBe(true);
    expect(config['files']).toEqual(expect.arrayContaining(['out/**/*', 'resources/**/*', 'package.json']));
  });

  it('flips the fuses in afterPack on the packaged executable of each platform', async () => {
    const hook = config['afterPack'] as string;
    expect(existsSync(path.join(ROOT, hook))).toBe(true);
    const { FUSES, electronExecutable } = await import('./fuses.mjs');
    expect(FUSES).toEqual({
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      GrantFileProtocolExtraPrivileges: false,
    });
    for (const name of Object.keys(FUSES)) expect(fuses.FuseV1Options, name).toHaveProperty(name);

    const packager = { appInfo: { productFilename: 'Backprop Studio' }, executableName: 'backprop-studio' };
    const at = (platform: string) => electronExecutable({ electronPlatformName: platform, appOutDir: '/o', packager });
    expect(at('linux')).toBe(path.join('/o', 'backprop-studio'));
    expect(at('win32')).toBe(path.join('/o', 'Backprop Studio.exe'));
    expect(at('darwin')).toBe(path.join('/o', 'Backprop Studio.app'));

    // The hook hands exactly these fuses to flipFuses, by their FuseV1Options numbers.
    const flip = vi.spyOn(fuses, 'flipFuses').mockResolvedValue(0);
    const { default: afterPack } = await import('./afterPack.mjs');
    await afterPack({ electronPlatformName: 'linux', appOutDir: '/o', packager, arch: 1 });
    expect(flip).toHaveBeenCalledWith(path.join('/o', 'backprop-studio'), {
      version: fuses.FuseVersion.V1,
      resetAdHocDarwinSignature: false,
      [fuses.FuseV1Options.RunAsNode]: false,
      [fuses.FuseV1Options.EnableCookieEncryption]: true,
      [fuses.FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [fuses.FuseV1Options.EnableNodeCliInspectArguments]: false,
      [fuses.FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [fuses.FuseV1Options.OnlyLoadAppFromAsar]: true,
      [fuses.FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
    flip.mockRestore();
  });
});
