/** The neutral command set on real SQLite and PostgreSQL databases: every command, linking both ways, isolation. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createCommandSet, parseCommandText, type CommandReply, type CommandRequest, type CommandSet, type PlatformActor, type ReplyPart } from '../../src/bot/commands/index.js';
import { createUser } from '../../src/services/auth.js';
import { issueCodeForAccount, redeemCodeForAccount } from '../../src/services/linking.js';
import { claimPlatformEvent, pruneProcessedEvents } from '../../src/services/platform-events.js';
import { DATABASE_KINDS, openTestServices, type TestServices } from '../support/databases.js';
import { storeProcessedChat, teamChat } from './commands-support.js';

const alice: PlatformActor = { platform: 'slack', workspaceId: 'T1', userId: 'UALICE', displayName: 'Alice' };
const bob: PlatformActor = { platform: 'slack', workspaceId: 'T1', userId: 'UBOB', displayName: 'Bob' };
const place = { channelId: 'C1', threadId: null };

const partOf = <K extends ReplyPart['kind']>(reply: CommandReply, kind: K) => reply.parts.find((p) => p.kind === kind) as Extract<ReplyPart, { kind: K }> | undefined;

describe('command text', () => {
  it('reads the command word, its aliases and arguments; unknown words ask for help', () => {
    expect(parseCommandText('  todos mine open ')).toEqual({ name: 'todos', args: 'mine open' });
    expect(parseCommandText('CAL tbd')).toEqual({ name: 'calendar', args: 'tbd' });
    expect(parseCommandText('')).toEqual({ name: 'help', args: '' });
    expect(parseCommandText('dance now')).toEqual({ name: 'help', args: '', unknown: 'dance' });
  });
});

describe.each(DATABASE_KINDS)('commands on %s', (kind) => {
  let services: TestServices;
  let commands: CommandSet;
  const run = (actor: PlatformActor, text: string, where = place) => {
    const { name, args, unknown } = parseCommandText(text);
    return commands.run({ actor, place: where, name, args, unknown } as CommandRequest & { unknown?: string });
  };

  beforeAll(async () => {
    services = await openTestServices(kind);
    commands = createCommandSet(services);
  });
  afterAll(async () => {
    await services?.dispose();
  });

  it('help lists every command privately, and names an unknown one', async () => {
    const { reply } = await run(alice, 'help');
    expect(reply.visibility).toBe('private');
    for (const word of ['todos', 'calendar', 'ask', 'import', 'status', 'link', 'forget']) expect(reply.fallbackText).toContain(word);
    expect((await run(alice, 'dance')).reply.fallbackText).toContain('I don\'t know "dance"');
  });

  it('creates an account on first use (unusable password, generated name) and reuses it', async () => {
    const first = await commands.accountFor(alice);
    const again = await commands.accountFor({ ...alice, displayName: 'Alice A.' });
    expect(again).toBe(first);
    const user = await services.models.User.findByPk(first);
    expect(user).toMatchObject({ username: 'slack-T1-UALICE', auto_created: true });
    expect(user!.password_hash).toMatch(/^\$2[aby]\$/);
    const identity = await services.models.PlatformIdentity.findOne({ where: { platform_user_id: 'UALICE' } });
    expect(identity).toMatchObject({ user_id: first, display_name: 'Alice A.' });
  });

  it('todos: all, mine, @someone, done; only the asking account\'s todos', async () => {
    const aliceId = await commands.accountFor(alice);
    const bobId = await commands.accountFor(bob);
    const summary = await storeProcessedChat(services, aliceId, { platform: 'slack', workspaceId: 'T1', channelId: 'C1', threadId: '1.1' });
    expect(summary.todos.length).toBeGreaterThanOrEqual(2);

    const all = await run(alice, 'todos');
    const listed = partOf(all.reply, 'todos')!;
    expect(listed.todos.map((t) => t.id).sort()).toEqual(summary.todos.map((t) => t.id).sort());
    expect(listed.actions).toBe(true);

    const forBob = partOf((await run(alice, 'todos @bob open')).reply, 'todos')!;
    expect(forBob.todos.length).toBeGreaterThan(0);
    expect(forBob.todos.every((t) => /bob/i.test(t.assignee ?? ''))).toBe(true);
    const mine = partOf((await run(alice, 'todos mine')).reply, 'todos');
    expect(mine?.todos.every((t) => /alice/i.test(t.assignee ?? '')) ?? true).toBe(true);
    expect((await run(alice, 'todos done')).reply.fallbackText).toContain('No done todos');
    expect((await run(alice, 'todos sideways')).reply.fallbackText).toContain('did not understand');

    // Bob's own account has nothing: Alice's todos are hers alone, whoever is named in them.
    expect(partOf((await run(bob, 'todos all any')).reply, 'todos')).toBeUndefined();
    expect(partOf((await run(bob, 'todos @bob')).reply, 'todos')).toBeUndefined();
    // Bob cannot tick off Alice's todo with her button either.
    const target = summary.todos[0]!.id;
    const refused = await commands.markTodoDone(bob, target);
    expect(refused.done).toBe(false);
    expect((await services.models.TodoItem.findByPk(target))!.status).toBe('open');
    const done = await commands.markTodoDone(alice, target);
    expect(done.done).toBe(true);
    expect((await services.models.TodoItem.findByPk(target))!.status).toBe('done');
    expect(partOf((await run(alice, 'todos done')).reply, 'todos')!.todos.map((t) => t.id)).toEqual([target]);
    expect(bobId).not.toBe(aliceId);
  });

  it('calendar: upcoming, tbd, both, with a private feed link that stays the same', async () => {
    const both = (await run(alice, 'calendar')).reply;
    const events = both.parts.filter((p) => p.kind === 'events') as Array<Extract<ReplyPart, { kind: 'events' }>>;
    expect(events.flatMap((e) => e.events).length).toBeGreaterThan(0);
    const feed = partOf(both, 'link')!;
    expect(feed.url).toMatch(/\/api\/v1\/agent\/calendar\.ics\?token=/);
    const upcoming = (await run(alice, 'calendar upcoming')).reply;
    expect(upcoming.fallbackText).toContain('Upcoming events');
    expect(upcoming.fallbackText).not.toContain('TBD)');
    const tbd = (await run(alice, 'calendar tbd')).reply;
    expect(tbd.fallbackText).toContain('without a date');
    expect(partOf(tbd, 'link')!.url).toBe(feed.url);
    expect((await commands.calendarFeed(alice)).fallbackText).toContain(feed.url);
    expect((await run(bob, 'calendar')).reply.fallbackText).toContain('Nothing coming up');
  });

  it('ask: from the channel\'s latest processed export or a named file, with sources; nothing from another channel', async () => {
    const answered = (await run(alice, 'ask when is the product launch meeting?')).reply;
    expect(answered.visibility).toBe('private');
    expect(partOf(answered, 'heading')!.text).toContain('team.txt');
    const sources = partOf(answered, 'sources')!;
    expect(sources.messages.some((m) => /launch meeting/.test(m.text))).toBe(true);

    const named = (await run(alice, 'ask file:team.txt where is the launch?', { channelId: 'C-OTHER', threadId: null })).reply;
    expect(partOf(named, 'sources')!.messages.some((m) => /Berlin/.test(m.text))).toBe(true);
    expect((await run(alice, 'ask where?', { channelId: 'C-OTHER', threadId: null })).reply.fallbackText).toContain('no processed chat export from this channel');
    expect((await run(alice, 'ask file:nope.txt where?')).reply.fallbackText).toContain('no file called');
    expect((await run(bob, 'ask when is the launch?')).reply.fallbackText).toContain('no processed chat export');
    expect((await run(alice, 'ask')).reply.fallbackText).toContain('Ask me something');
  });

  it('status lists this channel\'s files; import hands back a follow-up', async () => {
    const status = (await run(alice, 'status')).reply;
    expect(status.fallbackText).toMatch(/team\.txt.*done — 7 messages/);
    expect((await run(alice, 'status', { channelId: 'C9', threadId: null })).reply.fallbackText).toContain('no chat export in this channel');
    expect((await run(alice, 'import')).followUp).toEqual({ kind: 'import-history', days: 30 });
    expect((await run(alice, 'import 7')).followUp).toEqual({ kind: 'import-history', days: 7 });
    const bad = await run(alice, 'import lots');
    expect(bad.followUp).toBeUndefined();
    expect(bad.reply.fallbackText).toContain('1 to 365');
  });

  it('status also lists the asker\'s history imports of this channel, newest first, with their state', async () => {
    const asked: unknown[] = [];
    const withImports = createCommandSet(services, {
      imports: {
        async recentHistoryImports(query) {
          asked.push(query);
          return [
            { jobId: 'j2', days: 7, state: 'running', progress: 40, error: null, requestedAt: '2030-01-02T10:00:00.000Z', messageCount: null },
            { jobId: 'j1', days: 30, state: 'failed', progress: null, error: 'not_in_channel: invite me first', requestedAt: '2030-01-01T09:30:00.000Z', messageCount: null },
          ];
        },
      },
    });
    const { reply } = await withImports.run({ actor: alice, place: { channelId: 'C9', threadId: null }, name: 'status', args: '' });
    expect(asked).toEqual([{ userId: await commands.accountFor(alice), platform: 'slack', channelId: 'C9', limit: 3 }]);
    expect(reply.fallbackText).toContain('Your history imports of this channel');
    expect(reply.fallbackText).toContain('• Last 7 day(s), asked 2030-01-02 10:00 UTC · job j2: ⚙️ reading 40%');
    expect(reply.fallbackText).toContain('• Last 30 day(s), asked 2030-01-01 09:30 UTC · job j1: ❌ failed — not_in_channel: invite me first');
    expect(reply.fallbackText).not.toContain('Your files from this channel');
  });

  it('link: a bot code redeemed by a logged-in account merges the auto account into it', async () => {
    const carol: PlatformActor = { platform: 'slack', workspaceId: 'T1', userId: 'UCAROL', displayName: 'Carol' };
    const autoId = await commands.accountFor(carol);
    await storeProcessedChat(services, autoId, { platform: 'slack', workspaceId: 'T1', channelId: 'C1', threadId: '2.2' }, teamChat(' (carol)'));
    const before = (await run(carol, 'todos')).reply;
    const todoIds = partOf(before, 'todos')!.todos.map((t) => t.id).sort();

    const linkReply = (await run(carol, 'link')).reply;
    const code = partOf(linkReply, 'code')!.text;
    expect(code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    const real = await createUser(services, { username: 'carol', email: 'carol@example.com', password: 'correct horse battery' });
    const outcome = await redeemCodeForAccount(services, real.id, code.toLowerCase().replace('-', ' '));
    expect(outcome).toMatchObject({ user_id: real.id, changed: true, merged: { files: 1 } });
    expect(outcome.merged.todos).toBe(todoIds.length);
    expect(await services.models.User.findByPk(autoId)).toBeNull();
    expect(await services.models.UploadedFile.count({ where: { user_id: real.id } })).toBe(1);
    // The bot now acts for the real account and shows the same todos.
    expect(await commands.accountFor(carol)).toBe(real.id);
    expect(partOf((await run(carol, 'todos')).reply, 'todos')!.todos.map((t) => t.id).sort()).toEqual(todoIds);
    expect((await run(carol, 'link')).reply.fallbackText).toContain('linked to TeamSync account *carol*');
    // A code works once.
    await expect(redeemCodeForAccount(services, real.id, code)).rejects.toMatchObject({ code: 'invalid_link_code' });
  });

  it('link CODE: a code from the API typed to the bot; wrong codes and taken identities are refused', async () => {
    const dave: PlatformActor = { platform: 'slack', workspaceId: 'T1', userId: 'UDAVE', displayName: 'Dave' };
    const autoId = await commands.accountFor(dave);
    await storeProcessedChat(services, autoId, { platform: 'slack', workspaceId: 'T1', channelId: 'C2', threadId: '3.3' }, teamChat(' (dave)'));
    const real = await createUser(services, { username: 'dave', email: 'dave@example.com', password: 'correct horse battery' });
    const { code } = await issueCodeForAccount(services, real.id);
    expect((await run(dave, 'link WRONG-CODE1')).reply.fallbackText).toContain('unknown, used or expired');
    const linked = (await run(dave, `link ${code}`)).reply;
    expect(linked.fallbackText).toContain('Linked to TeamSync account *dave*');
    expect(linked.fallbackText).toMatch(/Moved over: 1 file/);
    expect(await services.models.User.findByPk(autoId)).toBeNull();
    expect(await services.models.TodoItem.count({ where: { user_id: real.id } })).toBeGreaterThan(0);

    // Dave's identity is on a real account now: another account's code cannot take it over.
    const other = await createUser(services, { username: 'mallory', email: 'mallory@example.com', password: 'correct horse battery' });
    const second = await issueCodeForAccount(services, other.id);
    expect((await run(dave, `link ${second.code}`)).reply.fallbackText).toContain('already linked to another TeamSync account');
    expect(await commands.accountFor(dave)).toBe(real.id);
  });

  it('platform events are claimed once, and old claims can be pruned', async () => {
    expect(await claimPlatformEvent(services, 'slack:event:T1:Ev1')).toBe(true);
    expect(await claimPlatformEvent(services, 'slack:event:T1:Ev1')).toBe(false);
    const [a, b] = await Promise.all([claimPlatformEvent(services, 'slack:file:T1:F1'), claimPlatformEvent(services, 'slack:file:T1:F1')]);
    expect([a, b].sort()).toEqual([false, true]);
    expect(await pruneProcessedEvents(services, new Date(Date.now() - 60_000))).toBe(0);
    expect(await pruneProcessedEvents(services, new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(2);
    expect(await claimPlatformEvent(services, 'slack:event:T1:Ev1')).toBe(true);
  });

  it('forget asks first, then deletes every file, todo and event of the account only', async () => {
    const aliceId = await commands.accountFor(alice);
    const preview = (await run(alice, 'forget')).reply;
    expect(preview.fallbackText).toContain('forget confirm');
    expect(await services.models.UploadedFile.count({ where: { user_id: aliceId } })).toBe(1);
    const others = await services.models.TodoItem.count({ where: { user_id: (await commands.accountFor({ ...alice, userId: 'UDAVE' })) } });
    const done = (await run(alice, 'forget confirm')).reply;
    expect(done.fallbackText).toMatch(/Deleted 1 file/);
    expect(await services.models.UploadedFile.count({ where: { user_id: aliceId } })).toBe(0);
    expect(await services.models.TodoItem.count({ where: { user_id: aliceId } })).toBe(0);
    expect(await services.models.StoredMessage.count()).toBeGreaterThan(0);
    expect(await services.models.TodoItem.count({ where: { user_id: await commands.accountFor({ ...alice, userId: 'UDAVE' }) } })).toBe(others);
    expect((await run(alice, 'forget')).reply.fallbackText).toContain('no uploaded data');
  });
});
