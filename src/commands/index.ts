import { CommandManager } from './commandManager';
import { ShowLogCommand } from './showLog';

export function registerCommands(): CommandManager {
  const manager = new CommandManager();
  manager.register(new ShowLogCommand());
  return manager;
}
