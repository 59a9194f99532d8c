/** `encprops`: the command line for CI pipelines, on the same core as the extension. Dispatch and usage. */
import { escapeControls } from '../core/text/terminal';
import { check } from './commands/check';
import { setAwsSecret } from './commands/setAwsSecret';
import { verify } from './commands/verify';
import { lsp } from './commands/lsp';
import { Io, processIo } from './files';
import { UsageError } from './options';

export type { Io } from './files';
export type { VerifyReport } from './commands/verify';

declare const ENCPROPS_VERSION: string | undefined;
const VERSION = typeof ENCPROPS_VERSION === 'string' ? ENCPROPS_VERSION : '0.0.0-dev';

const USAGE = `Usage: encprops <command> [options]

Commands:
  check [--format text|json|sarif|gitlab] [--product NAME] [--template DIALECT] [--skip-other] [--fix [--dry-run]]
        <files or folders...>
      Validate Atlassian secret references. Folders are searched for bitbucket.properties and other
      *.properties files that use {ENC} or a cipher class property, for Jira's dbconfig.xml,
      confluence.cfg.xml, bamboo.cfg.xml and crowd.cfg.xml (also with a prefix or an infix, such as
      home-confluence.cfg.xml or bamboo.cfg.prod.xml), and for their templates (.j2 .jinja .jinja2 .erb .epp
      .tmpl .tpl .template .gotmpl .in): Jinja2, ERB, Puppet EPP, Go templates and shell \${VAR}.
      --product NAME: read the named files as NAME's (bitbucket, jira, confluence, bamboo, crowd).
      --template DIALECT: their template dialect (jinja, erb, epp, go, shell) where the suffix does not tell.
      --format gitlab: a GitLab Code Quality report.
      --skip-other: named files are recognised as a folder scan recognises them, and none is no error
      (the pre-commit hook's mode: a commit that touches only unrelated YAML passes).
      --fix: apply the preferred fixes (the editor's fix-all) to the files, safely (owner and mode kept, refused if a
      file changes meanwhile), say what was fixed, and report what remains; --dry-run: say what would be fixed.
      Exit 0: no errors; 1: errors found; 2: usage or I/O error.

  verify [--format text|json] [--profile P] [--concurrency N] [--timeout MS] [--allow-endpoint HOST]...
         [--product NAME] [--template DIALECT] <files or folders...>
      Resolve every AWS Secrets Manager reference through the AWS SDK, with the default credential chain
      (or profile P), and every HashiCorp Vault reference with SECRET_STORE_VAULT_TOKEN (or VAULT_TOKEN),
      exactly as the product will at start-up. Never prints a secret value.
      --timeout MS: the total time for one reference, every attempt and the whole answer included
      (1 to 600000 ms; default 10000).
      Signed AWS requests go only to AWS endpoints, and Vault tokens nowhere, unless the host (host or
      host:port) of a file's endpointOverride or Vault endpoint is allowed with --allow-endpoint HOST (repeat
      it) or in ENCPROPS_ALLOW_ENDPOINTS (comma-separated): a file from a pull request must not send your
      credentials to a server of its choosing.
      A reference a template fills in (a region from {{ aws_region }}) is reported as templated: verify
      the rendered file.
      Exit 0: every reference resolves; 1: any does not; 2: usage or I/O error.

  set-aws-secret --region R --secret-id S [--pointer P] [--no-backup] [--backup-dir DIR] [--replace-class]
                 [--allow-unknown-region] [--service NAME] <file>
      Write the AWS store class and the {…} reference into bitbucket.properties (cipher class property and
      jdbc.password={ENC}…), a product's XML (dbconfig.xml, confluence.cfg.xml, bamboo.cfg.xml,
      crowd.cfg.xml: its own elements) or a container deployment (Compose file, env file, Kubernetes manifest,
      Helm values: ATL_JDBC_SECRET_CLASS and ATL_JDBC_PASSWORD, or Bitbucket's JDBC_PASSWORD_DECRYPTER_CLASSNAME
      and JDBC_PASSWORD, in the file's own style; --service names the container when there are several),
      exactly as the wizard does, after a timestamped backup beside the file
      (or in DIR). The backup holds the old content, which may be a plaintext password: move it off the instance.
      A symbolic link is followed (when it and its target have the same owner, or root owns it) and the real file
      edited; owner, group, mode, ACLs and hard links are kept;
      bytes outside the two entries stay exactly as they were (properties files are ISO-8859-1, as the
      products read them). Prints what changed. Exit 0: written (or nothing to change); 1: not written
      (I/O error, the file changed meanwhile, another run is writing it, or another cipher class that other
      {ENC} values use, without --replace-class); 2: bad arguments (a region the AWS SDK does not know, unless
      --allow-unknown-region; an invalid secret name or pointer), or a path that is not a regular file.
      The file is left untouched on any error.

  lsp --stdio
      The language server (Language Server Protocol over standard input and output) for Neovim, Helix, Emacs,
      Sublime Text, JetBrains IDEs and any other editor with an LSP client: the checks, quick fixes and hovers of
      \`check\`, as you type; Verify secret lenses when the client's settings turn on encryptedProperties.verify.enable.
      See the README's "Other editors" section for each editor's set-up.

Options:
  -h, --help       show this help
  -v, --version    print the version
`;

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === '-h' || command === '--help' || command === 'help') {
      io.stdout(USAGE);
      return command ? 0 : 2;
    }
    if (command === '-v' || command === '--version') {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    if (command === 'check') return await check(rest, io, VERSION);
    if (command === 'verify') return await verify(rest, io);
    if (command === 'set-aws-secret') return await setAwsSecret(rest, io);
    if (command === 'lsp') return await lsp(rest, io, VERSION);
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    if (error instanceof UsageError) {
      // One or two lines: the problem, and where the usage is (not the whole help on every typo).
      io.stderr(`encprops: ${error.message.split('\n').map(escapeControls).join('\n')}\nRun "encprops --help" for usage.\n`);
      return 2;
    }
    throw error;
  }
}
