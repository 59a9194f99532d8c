import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AwsProfile, parseProfiles } from '../core/awsConfig/profiles';

/** The shared AWS files as the SDK finds them (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, else ~/.aws). */
export function awsConfigFiles(): { readonly config: string; readonly credentials: string } {
  return {
    config: process.env.AWS_CONFIG_FILE ?? path.join(os.homedir(), '.aws', 'config'),
    credentials: process.env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(os.homedir(), '.aws', 'credentials'),
  };
}

/** Where the SDK keeps SSO tokens (`aws sso login` writes there): always under the home, whatever AWS_CONFIG_FILE says. */
export function ssoCacheFolder(): string {
  return path.join(os.homedir(), '.aws', 'sso', 'cache');
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The profiles of the shared files (names, kinds, regions; never a key). */
export function readAwsProfiles(): AwsProfile[] {
  const files = awsConfigFiles();
  return parseProfiles(readOrEmpty(files.config), readOrEmpty(files.credentials));
}

/** The profile the chain reads: the setting, else AWS_PROFILE, else default. */
export function effectiveProfileName(setting: string | undefined): string {
  return setting || process.env.AWS_PROFILE || 'default';
}

/** Whether an executable is on PATH (for offering "aws sso login" only where it can run). */
export function onPath(command: string): boolean {
  const extensions = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    for (const extension of extensions) {
      try {
        fs.accessSync(path.join(dir, command + extension), fs.constants.X_OK);
        return true;
      } catch {
        // not here
      }
    }
  }
  return false;
}
