/** `link`: show a one-time code to redeem in the API, or redeem a code the API gave (`link CODE`). */
import { accountSummary, issueCodeForIdentity, LINK_CODE_MINUTES, redeemCodeForIdentity } from '../../services/linking.js';
import { identityOf, type CommandContext } from './context.js';
import { argumentWords } from './parse.js';
import { privateReply } from './replies.js';
import type { CommandReply } from './types.js';

export async function linkCommand(c: CommandContext): Promise<CommandReply> {
  const [code] = argumentWords(c.request.args);
  const { ctx } = c;
  if (code) {
    const outcome = await redeemCodeForIdentity(ctx, identityOf(c.request.actor), code);
    const { files, todos, events } = outcome.merged;
    const moved = files + todos + events > 0 ? ` Moved over: ${files} file(s), ${todos} todo(s), ${events} event(s).` : '';
    return privateReply({ kind: 'text', text: outcome.changed ? `✅ Linked to TeamSync account *${outcome.username}*.${moved}` : `You were already linked to *${outcome.username}*.` });
  }
  const account = await accountSummary(ctx, c.userId);
  const issued = await issueCodeForIdentity(ctx, identityOf(c.request.actor));
  const api = `${ctx.config.publicUrl}/api/v1/auth/link`;
  const status = account && !account.autoCreated
    ? `You are linked to TeamSync account *${account.username}*. To move to another account, use this code while logged in to it.`
    : 'You are using TeamSync without an account of your own yet; link it to keep your files, todos and events with your login.';
  return privateReply(
    { kind: 'text', text: status },
    { kind: 'heading', text: 'Your one-time link code' },
    { kind: 'code', text: issued.code },
    {
      kind: 'text',
      text: `Valid for ${LINK_CODE_MINUTES} minutes, once. Logged in to TeamSync, send it: \`POST ${api}\` with \`{"code": "${issued.code}"}\`. Or the other way round: get a code from \`POST ${api}-code\` and type \`link CODE\` here.`,
    },
  );
}
