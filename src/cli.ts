import { main } from './cli/main';
import { escapeControls } from './core/text/terminal';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`encprops: ${escapeControls(error instanceof Error ? error.message : String(error))}\n`);
    process.exitCode = 2;
  },
);
