/** `forget`: say what would be deleted; `forget confirm` deletes it. */
import { countAccountData, forgetAccountData } from '../../services/channel-files.js';
import type { CommandContext } from './context.js';
import { argumentWords } from './parse.js';
import { privateText } from './replies.js';
import type { CommandReply } from './types.js';

export async function forgetCommand(c: CommandContext): Promise<CommandReply> {
  const confirmed = argumentWords(c.request.args).some((w) => /^(confirm|yes)$/i.test(w));
  if (!confirmed) {
    const n = await countAccountData(c.ctx, c.userId);
    if (n.files + n.todos + n.events === 0) return privateText('You have no uploaded data to delete.');
    return privateText(`This deletes ${n.files} file(s), ${n.todos} todo(s) and ${n.events} event(s) for good. Type \`forget confirm\` to go ahead.`);
  }
  const removed = await forgetAccountData(c.ctx, c.userId);
  return privateText(`🗑️ Deleted ${removed.files} file(s), ${removed.todos} todo(s) and ${removed.events} event(s).`);
}
