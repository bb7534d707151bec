// electron-builder's afterPack hook (electron-builder.json): flips the fuses of FUSES in the
// packaged executable before it is signed and wrapped into AppImage/deb, dmg or nsis.
import fuses from '@electron/fuses';
import { FUSES, electronExecutable } from './fuses.mjs';

const { FuseV1Options, FuseVersion, flipFuses } = fuses;

export default async function afterPack(context) {
  const options = Object.fromEntries(
    Object.entries(FUSES).map(([name, value]) => {
      const option = FuseV1Options[name];
      if (option === undefined) throw new Error(`@electron/fuses has no fuse "${name}"`);
      return [option, value];
    }),
  );
  await flipFuses(electronExecutable(context), {
    version: FuseVersion.V1,
    // An arm64 macOS binary must stay ad-hoc signed after its bytes change.
    resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' && context.arch === 3,
    ...options,
  });
}
