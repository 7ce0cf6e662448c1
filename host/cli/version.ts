/** Injected by the build (esbuild `define`) from package.json. */
declare const NODESERVICE_VERSION: string;

/** The NodeService version this host.exe was built as. */
export const version: string = typeof NODESERVICE_VERSION === 'string' ? NODESERVICE_VERSION : '0.0.0-dev';
