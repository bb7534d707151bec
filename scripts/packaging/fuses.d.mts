export declare const FUSES: Readonly<Record<string, boolean>>;
export declare function electronExecutable(context: {
  electronPlatformName: string;
  appOutDir: string;
  packager: { appInfo: { productFilename: string }; executableName: string };
}): string;
