// The Electron fuses every packaged build flips (afterPack.mjs), as data so a unit test checks
// them: no running as plain Node, no NODE_OPTIONS or --inspect, cookies encrypted, the app loaded
// only from its ASAR archive and that archive's integrity checked at start.
import path from 'node:path';

/** Option name of @electron/fuses' FuseV1Options → the value it is flipped to. */
export const FUSES = {
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  GrantFileProtocolExtraPrivileges: false,
};

/** The packaged Electron executable whose fuses are flipped, from electron-builder's afterPack context. */
export function electronExecutable({ electronPlatformName, appOutDir, packager }) {
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return path.join(appOutDir, `${name}.app`);
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${name}.exe`);
  return path.join(appOutDir, packager.executableName);
}
