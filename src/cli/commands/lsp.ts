/**
 * `encprops lsp --stdio`: the language server (dist/lsp.js, loaded by this command only) on standard input and
 * output. It runs until the client sends exit (or closes the pipe); nothing but the protocol is written to stdout.
 */
import * as v8 from 'v8';
import * as vm from 'vm';
import { Io, processIo } from '../files';
import { OptionSpec, parseArgs, UsageError } from '../options';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'stdio', kind: 'flag' },
  // Clients that start servers generically (LSP4IJ, some lspconfig set-ups) pass the editor's process id.
  { name: 'clientProcessId', kind: 'value' },
];

export function lsp(args: readonly string[], io: Io, version: string): Promise<number> {
  const parsed = parseArgs(args, OPTIONS);
  if (!parsed.flags.has('stdio')) throw new UsageError('lsp needs --stdio: the language server speaks over standard input and output only');
  if (parsed.positionals.length > 0) throw new UsageError(`lsp takes no files (the editor sends them): ${parsed.positionals[0]}`);
  // A long-running server that analyses files in bursts (an editor opening a hundred files): V8 would grow its young
  // generation to 3 × 16 MB for the burst and give it back only after seconds of idleness. Keeping it at its initial
  // size costs a few more scavenges and keeps the resident memory at what the server holds (npm run bench).
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  // And V8's memory-over-speed mode: with 100 files open the server held 95–109 MB on a busy machine without it and
  // 73–76 MB with it; a burst of 100 analyses takes ~25 % longer (a 1,000-line file: ~10 ms instead of ~8).
  v8.setFlagsFromString('--optimize-for-size');
  // A full collection the server can run when it goes idle after a burst (see the server's whenIdle).
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as (() => void) | undefined;
  const server = (io.loadLsp ?? processIo.loadLsp!)();
  const connection = server.startServer({
    input: process.stdin,
    output: process.stdout,
    loadAws: io.loadAws ?? processIo.loadAws!,
    version,
    ...(typeof gc === 'function' ? { collect: gc } : {}),
  });
  // The server library ends the process on the client's exit notification; this resolves if the pipe closes first.
  return new Promise((resolve) => connection.onExit(() => resolve(0)));
}
