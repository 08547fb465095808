/**
 * Slack message markup -> readable text: `<@U1>` -> `@Ana`, `<#C1|general>` -> `#general`,
 * `<!channel>` -> `@channel`, `<https://x|label>` -> `label (https://x)`, `&amp;` `&lt;` `&gt;` unescaped.
 */
export interface SlackNames {
  user(id: string): string | undefined;
  channel(id: string): string | undefined;
}

const TOKEN = /<([^<>\n]*)>/g;

function unescape(text: string): string {
  return text.indexOf('&') === -1 ? text : text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function linkText(url: string, label: string | undefined): string {
  const bare = unescape(url).replace(/^mailto:/, '');
  if (!label) return bare;
  const plainLabel = unescape(label);
  if (plainLabel === bare || plainLabel === url || url.replace(/^https?:\/\//, '') === plainLabel) return bare;
  return `${plainLabel} (${bare})`;
}

function token(inner: string, names: SlackNames): string {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : inner.slice(bar + 1);
  switch (target[0]) {
    case '@':
      return '@' + (names.user(target.slice(1)) ?? (label ? unescape(label).replace(/^@/, '') : target.slice(1)));
    case '#':
      return '#' + (label ? unescape(label) : (names.channel(target.slice(1)) ?? target.slice(1)));
    case '!': {
      const command = target.slice(1);
      if (command === 'channel' || command === 'here' || command === 'everyone') return '@' + command;
      if (label) return unescape(label);
      const caret = command.indexOf('^');
      return '@' + (caret === -1 ? command : command.slice(0, caret));
    }
    default:
      return linkText(target, label);
  }
}

export function slackToText(text: string, names: SlackNames): string {
  if (text.indexOf('<') === -1) return unescape(text);
  return unescape(text.replace(TOKEN, (_all, inner: string) => token(inner, names).replace(/&/g, '&amp;')));
}
