/** The language server's bundle (dist/lsp.js), loaded by `encprops lsp` only: the CLI's other commands never load it. */
export { startServer } from './server';
export type { ServerOptions, VerifyCommandRow } from './server';
