import { Command } from './commandManager';
import { log } from '../util/log';

export class ShowLogCommand implements Command {
  readonly id = 'encryptedProperties.showLog';

  execute(): void {
    log().show(true);
  }
}
