/**
 * Finds the dates and times a message mentions and resolves them against the message's own
 * instant in the chat's time zone (never the machine's clock or zone).
 *
 * Conventions (the same ones the evaluation set is labelled with, see test/eval/LABELLING.md):
 * - a bare weekday is the next such day on or after the message's day ("last Friday" stays past);
 * - "next Friday" is the Friday of the following week; "the 20th" the next 20th on or after today;
 * - a month and day without a year is the next such date on or after the message's day;
 * - a bare hour from 1 to 7 without am/pm is afternoon (8-11 too when the clause speaks of dinner,
 *   drinks, doors or tonight); spoken times ("half seven", "seven o'clock") follow the same rule;
 * - a weekday with its day of the month ("Thursday the 2nd of July", "Wednesday, the 1st") is one date;
 * - numeric dates: "4/30" is month first in North American zones, "04/05" day first elsewhere; "01.10."
 *   and "28.9." are day and month; "7.30pm" and "from 9.30 to 12.30" are times;
 * - a range takes the half of the day its stated end is in ("7-11am", "between 7 and 9am"); hours spelled
 *   out in a range ("ten till four") are read as numbers; a time said just before a day is that day's
 *   ("5pm on Friday 2nd October"); "a week from Friday" and "Friday week" are the Friday after next;
 * - parts of the day: morning / first thing 09:00, noon 12:00, afternoon 15:00, evening / tonight /
 *   night 20:00; EOD / COB / end of day 17:00; end of the week: Friday 17:00;
 * - vague periods (this week, next week, this weekend, next month) are not dates.
 */
import * as chrono from 'chrono-node';
import { DateTime } from 'luxon';

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

export interface LocalTime {
  hour: number;
  minute: number;
}

export interface ResolvedMoment {
  date: LocalDate;
  /** null: the text names a day but no time of day. */
  time: LocalTime | null;
  /** UTC offset stated in the text itself ("17:00 UTC"), in minutes; null: the chat's zone. */
  offsetMinutes: number | null;
}

export interface DateMention {
  /** Offset of the mention in the text it was found in. */
  index: number;
  text: string;
  start: ResolvedMoment;
  end: ResolvedMoment | null;
  /** The day lies before the message's own local day. */
  past: boolean;
  /** The pieces of text the mention was read from (a day and a time may sit apart). */
  spans?: Array<{ index: number; length: number }>;
}

/** A quick test for anything that could be a date; messages failing it never reach chrono. */
export const DATE_HINT =
  /\b(?:today|tonight|tmrw|tmr|tomorrow|tomorow|yesterday|eod|cob|eow|end of|noon|midday|midnight|morning|afternoon|evening|night|mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mondays|jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|september|october|november|december|next|week|weekend|month|\d{1,2}(?:st|nd|rd|th)|\d{1,2}(?::\d{2})?\s*(?:am|pm|h|ish)|\d{1,2}:\d{2}|\d{1,2}[/.]\d{1,2}|\d{4}-\d{2}-\d{2}|in (?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|a couple of|a few) (?:days?|weeks?|hours?|minutes?)|fortnight|o['’]clock|half (?:past )?(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)|(?:at|by|before|until|till) \d{1,2}|(?:moved?|pushed|bumped|shifted) (?:it )?to \d{1,2})\b/i;

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const WEEKDAY_RE = '(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday|rsday)?';
// ("in a week" and "in two weeks" are days: that many days after the message's)
const VAGUE = /^(?:(?:this|next|last|the|in the)?\s*(?:week|weekend|month|year)s?|(?:in\s+)?(?:a\s+)?(?:few|couple of|couple)\s+(?:days|weeks|months)|in an?\s+(?:month|year))$/i;
const EVENING_CONTEXT = /\b(?:dinner|drinks|doors|party|gig|concert|tonight|evening|night|pm|pub|bar|supper)\b/i;
const PART_OF_DAY: Array<[RegExp, number]> = [
  [/\bfirst thing\b|\bmorning\b/i, 9],
  [/\bnoon\b|\bmidday\b|\blunch ?time\b/i, 12],
  [/\bafternoon\b/i, 15],
  [/\bevening\b|\btonight\b|\bnight\b/i, 20],
];
const END_OF_DAY = /\b(?:eod|cob|end of (?:the |business )?day|close of business)\b/i;
const END_OF_WEEK = /\b(?:eow|end of (?:the |this )?week)\b/i;
const END_OF_MONTH = /\bend of (?:the |this )?month\b/i;
const FORTNIGHT = /\bin a fortnight(?:['’]s time)?\b/i;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** "Friday 25th", "the 16th", "Wednesday, the 1st", "Thursday the 2nd of July" (a month without a weekday is chrono's). */
const ORDINAL_DAY = new RegExp(
  `\\b(?:(${WEEKDAY_RE}),?\\s+)?(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)\\b(?:\\s+(?:of\\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?(?!\\s*,?\\s*\\d{4}))?(?!\\s+(?:of\\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))`,
  'gi',
);
const WORD_TIME_HINT = /\bhalf\s|\bquarter\s|o['’]clock/i;
const NUMBER_WORDS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];
const HOUR_WORD = `(${NUMBER_WORDS.join('|')}|\\d{1,2})`;
/** Spoken times: "half seven" (7:30), "half past six", "seven o'clock", "quarter to eight". */
const WORD_TIME = new RegExp(`\\b(?:(half|quarter)\\s+(?:(past|to)\\s+)?${HOUR_WORD}|${HOUR_WORD}\\s+o['’]clock)\\b(?!\\s*(?:am|pm|hours?|days?|weeks?|people|of\\b))`, 'gi');
const DOTTED_DATE = new RegExp(`\\b(${WEEKDAY_RE})\\s+(\\d{1,2})\\.(\\d{1,2})\\.?(?:(\\d{4}))?(?![\\d:])`, 'gi');
const BARE_HOUR = /\b(?:at|by|before|until|till|around|about|from|(?<!\d\s)after|(?:mov(?:e|ed|ing)|push(?:ed|ing)?|bump(?:ed|ing)?|shift(?:ed|ing)?)\s+(?:it\s+)?to)\s+(\d{1,2})(?![\d:/%]|\.\d|,\d|\s*(?:am|pm|a\.m|p\.m|h\b|hours?|hrs?|mins?|minutes?|days?|weeks?|people|kids|of|x|-|–|to|and|or|\+|[a-z]*(?:st|nd|rd|th)\b|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)))(?=\s*(?:$|[!?.;)]|\p{Extended_Pictographic}|,|\s(?:sharp|ish|latest|then|tomorrow|today|tonight|please|pls|on|at|in|if|so|but|for|with|the|this|and|i|we|you|\p{Lu})))/giu;
const BETWEEN_NOON = /\b(?:between|from)\s+(\d{1,2})(?::(\d{2}))?\s*(?:am|a\.m\.)?\s*(?:and|to|until|till|-|–)\s*(noon|midday)\b/i;
const HOUR_RANGE_AFTER = /^,?\s*(?:from\s+|between\s+)?(\d{1,2})(?::(\d{2}))?\s*(?:-|–|to|and|till|until)\s*(\d{1,2})(?::(\d{2}))?(?!\s*(?:am|pm|:|\d|%|kg|km))\b/i;

/** "between 7 and 9am", "from 10 to 2pm": a range whose end alone says am or pm. */
const HOUR_RANGE_MERIDIEM = /^,?\s*(?:from\s+|between\s+)?(\d{1,2})(?::(\d{2}))?\s*(?:-|–|to|and|till|until)\s*(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)(?![a-z])/i;

/** A range of hours right at the start of `after`: start and end times and the length read, or null. */
function hourRange(after: string): { start: LocalTime; end: LocalTime; length: number } | null {
  const stated = HOUR_RANGE_MERIDIEM.exec(after);
  if (stated) {
    const h1 = Number(stated[1]);
    const h2 = Number(stated[3]);
    if (h1 < 1 || h1 > 12 || h2 < 1 || h2 > 12) return null;
    const endPm = /^p/i.test(stated[5]!);
    const end = { hour: (h2 % 12) + (endPm ? 12 : 0), minute: Number(stated[4] ?? 0) };
    const startPm = h1 % 12 < h2 % 12 ? endPm : !endPm;
    return { start: { hour: (h1 % 12) + (startPm ? 12 : 0), minute: Number(stated[2] ?? 0) }, end, length: stated[0].length };
  }
  const range = HOUR_RANGE_AFTER.exec(after);
  if (!range) return null;
  const h1 = Number(range[1]);
  const h2 = Number(range[3]);
  if (!(h1 >= 1 && h2 >= 1 && h1 <= 24 && h2 <= 24 && h1 < h2 + (h2 < 8 ? 12 : 0))) return null;
  const bump = (h: number) => (h >= 1 && h <= 7 ? h + 12 : h);
  return { start: { hour: bump(h1), minute: Number(range[2] ?? 0) }, end: { hour: bump(h2), minute: Number(range[4] ?? 0) }, length: range[0].length };
}

/** chrono's English casual parser without the readers whose results this module drops anyway (month or year alone). */
const UNUSED_PARSERS = new Set(['ENMonthNameParser', 'ENYearMonthNameParser', 'ENSlashMonthFormatParser', 'ENEndOfCurrentMonthParser']);
const parser = chrono.casual.clone();
parser.parsers = parser.parsers.filter((p) => !UNUSED_PARSERS.has(p.constructor.name));
/** Zones whose people write the month first ("4/30"): the United States, Canada and a few places tied to them. */
const MONTH_FIRST_ZONE = /^(?:America\/(?!(?:Sao_Paulo|Argentina|Buenos_Aires|Bogota|Lima|Santiago|Caracas|Montevideo|Asuncion|La_Paz|Guayaquil|Mexico_City|Cancun|Merida|Monterrey|Havana|Belize|Guatemala|El_Salvador|Tegucigalpa|Managua|Costa_Rica|Panama|Santo_Domingo|Puerto_Rico|Recife|Fortaleza|Manaus|Belem|Bahia|Cuiaba|Campo_Grande|Porto_Velho|Boa_Vista|Rio_Branco|Noronha|Maceio|Araguaina|Santarem|Cayenne|Paramaribo|Guyana|Punta_Arenas)\b)|US\/|Canada\/|Pacific\/(?:Honolulu|Guam|Saipan)|Asia\/Manila|EST|MST|HST|PST8PDT|CST6CDT|EST5EDT|MST7MDT)/;
/** "04/05", "17/09", "3/10/2026": a day and month with a slash, read day first outside month-first zones. */
const SLASH_DATE = /(?<![\d/.,:])(\d{1,2})\/(\d{1,2})(?:\/(\d{4}|\d{2}))?(?![\d/%]|\s*(?:kids|people|of\b))/g;

const HOUR = 3_600_000;
const offsets = new Map<string, number>();

/** Minutes east of UTC of `zone` at `instant` (zones change offset on whole quarter hours at most). */
function offsetAt(instant: Date, zone: string): number {
  const key = `${zone}|${Math.floor(instant.getTime() / (HOUR / 4))}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = DateTime.fromJSDate(instant, { zone }).offset;
    if (offsets.size > 50_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

function localDay(instant: Date, zone: string): LocalDate {
  const local = new Date(instant.getTime() + offsetAt(instant, zone) * 60_000);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() };
}

function compareDates(a: LocalDate, b: LocalDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

function addDays(d: LocalDate, days: number): LocalDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

function weekdayOf(d: LocalDate): number {
  return new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay(); // 0 = Sunday
}

function isValidDate(year: number, month: number, day: number): boolean {
  const t = new Date(Date.UTC(year, month - 1, day));
  return t.getUTCFullYear() === year && t.getUTCMonth() === month - 1 && t.getUTCDate() === day;
}

function weekdayIndex(name: string): number {
  const lower = name.toLowerCase();
  return WEEKDAYS.findIndex((w) => w.startsWith(lower.slice(0, 3)));
}

/** The next day on or after `from` whose day of month is `day` (skipping months that lack it). */
function nextDayOfMonth(from: LocalDate, day: number): LocalDate | null {
  let year = from.year;
  let month = from.month;
  for (let i = 0; i < 13; i += 1) {
    if (isValidDate(year, month, day) && compareDates({ year, month, day }, from) >= 0) return { year, month, day };
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return null;
}

/** The next `month`/`day` on or after `from`. */
function nextMonthDay(from: LocalDate, month: number, day: number): LocalDate | null {
  for (let year = from.year; year <= from.year + 4; year += 1) {
    if (isValidDate(year, month, day) && compareDates({ year, month, day }, from) >= 0) return { year, month, day };
  }
  return null;
}

/** Converts a resolved local moment to a UTC ISO instant; a day without time is local midnight. */
export function toInstant(moment: ResolvedMoment, timeZone: string, defaultTime: LocalTime | null = null): string {
  const time = moment.time ?? defaultTime ?? { hour: 0, minute: 0 };
  const wall = Date.UTC(moment.date.year, moment.date.month - 1, moment.date.day, time.hour, time.minute);
  if (moment.offsetMinutes !== null) return new Date(wall - moment.offsetMinutes * 60_000).toISOString();
  // the offset at the wall time read as UTC is right but near a DST change; one more step settles it
  const first = offsetAt(new Date(wall), timeZone);
  const second = offsetAt(new Date(wall - first * 60_000), timeZone);
  return new Date(wall - second * 60_000).toISOString();
}

function partOfDay(text: string): number | null {
  for (const [re, hour] of PART_OF_DAY) if (re.test(text)) return hour;
  return null;
}

/** Applies the bare-hour and part-of-day conventions to chrono's components. */
function timeOf(component: chrono.ParsedComponents, mentionText: string, clause: string): LocalTime | null {
  // ("tonight, 12 sets": chrono took the count after the comma for the hour; the mention kept holds no number)
  if (!component.isCertain('hour') || !/\d|noon|midnight|midday/i.test(mentionText)) {
    const hour = partOfDay(mentionText);
    return hour === null ? null : { hour, minute: 0 };
  }
  let hour = component.get('hour') ?? 0;
  const minute = component.get('minute') ?? 0;
  const meridiemStated = component.isCertain('meridiem') && /\b(?:am|pm|a\.m\.|p\.m\.)|\d(?:am|pm)\b|\bnoon\b|\bmidnight\b/i.test(mentionText);
  const zeroPadded = /\b0\d:\d{2}\b/.test(mentionText);
  if (!meridiemStated && !zeroPadded && !/\d{2}:\d{2}/.test(mentionText.replace(/\b\d:\d{2}\b/, ''))) {
    // "starts 7am Friday, be at the yard by 6:30": a bare hour next to a stated morning hour is morning too
    const morning = /\b(\d{1,2})(?::\d{2})?\s*(?:am|a\.m\.)/i.exec(clause);
    const nearMorning = morning !== null && Number(morning[1]) >= hour && Number(morning[1]) - hour <= 2;
    if (hour >= 1 && hour <= 7 && !nearMorning) hour += 12;
    else if (hour >= 8 && hour <= 11 && EVENING_CONTEXT.test(clause)) hour += 12;
  }
  return { hour, minute };
}

interface Span {
  index: number;
  length: number;
}

function overlaps(spans: Span[], index: number, length: number): boolean {
  return spans.some((s) => index < s.index + s.length && s.index < index + length);
}

/**
 * "7.30pm", "from 9.30 to 12.30", "at 18.45": a time written with a dot, as in much of Europe, is
 * read as one with a colon. A dotted number counts as a time only when the text marks it as one (am or
 * pm after it, a word such as at / from / until before it, or a range with another such time), so
 * "version 2.4" and "potassium 3.1" stay numbers. Offsets are kept: only the dot changes.
 */
const SPELLED_RANGE = /\b((?:from|between)\s+)?(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(\s+(?:till|until|til|to|and)\s+)(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b(?!\s+(?:of|people|kids|days|weeks|hours|minutes|times|more|others|years))/gi;
const DOTTED_TIME = /(?<![\d.,])(\d{1,2})\.([0-5]\d)(?![\d.]\d)(?=\s*(?:am|pm|a\.m\.|p\.m\.)\b|\s*(?:-|–|to|till|until)\s*\d{1,2}[.:][0-5]\d\b)|(?<=\b(?:at|from|until|till|by|before|after|around|between|to|and|-|–)\s*)(\d{1,2})\.([0-5]\d)(?![\d.]\d|\s*(?:%|kg|km|mg|ml|m\b|k\b))/gi;
function withColonTimes(text: string): string {
  // "18h30", "1030hrs": the hour-and-minute forms of French and of rosters, written with a colon (same length)
  if (/\d(?:h[0-5]\d|\s?(?:hrs|hours)\b)/i.test(text)) {
    text = text.replace(/\b([01]?\d|2[0-3])h([0-5]\d)\b/gi, '$1:$2');
    text = text.replace(/\b([01]\d|2[0-3])([0-5]\d)(\s?(?:hrs|hours|h))\b/gi, (all: string, h: string, m: string) => `${h}:${m}`.padEnd(all.length));
  }
  // "weds", "thur": weekday abbreviations chrono does not know, written the way it does (same length)
  if (/\b(?:weds|thur)\b/i.test(text)) text = text.replace(/\b(wed)s\b/gi, '$1 ').replace(/\b(thu)r\b/gi, '$1 ');
  // "training Thursdays 7-8:30pm": a weekday in the plural is read as the next such day
  if (/(?:mon|tues|wednes|thurs|fri|satur|sun)days\b/i.test(text)) text = text.replace(/\b((?:mon|tues|wednes|thurs|fri|satur|sun)day)s\b/gi, '$1 ');
  // "12 noon", "12 midnight": the number only repeats the word
  if (/\b12\s+(?:noon|midnight)\b/i.test(text)) text = text.replace(/\b12(\s+)(noon|midnight)\b/gi, (_all: string, space: string, word: string) => `  ${space}${word}`);
  // "ten till four", "from nine to five": hours spelled out in a range are read as numbers
  if (SPELLED_RANGE.test(text)) text = text.replace(SPELLED_RANGE, (all: string, ...groups: unknown[]) => {
    const digit = (w: string) => String(NUMBER_WORDS.indexOf(w.toLowerCase()) + 1);
    const [lead, a, sep, b] = groups as [string | undefined, string, string, string];
    // "ten to four" alone is 3:50, not a range
    if (!lead && /^\s+(?:to|and)\s+$/i.test(sep)) return all;
    return `${lead ?? ''}${digit(a).padEnd(a.length)}${sep}${digit(b).padEnd(b.length)}`.padEnd(all.length);
  });
  if (!/\d\.[0-5]\d/.test(text)) return text;
  return text.replace(DOTTED_TIME, (all: string, h1?: string, m1?: string, h2?: string, m2?: string) => {
    const hour = Number(h1 ?? h2);
    return hour <= 24 ? `${h1 ?? h2}:${m1 ?? m2}` : all;
  });
}

/**
 * "members' meeting 01.10. at 19:30", "slides by 28.9.", "on 3.10.2026": a day and month with dots, as in
 * German and much of Europe. Without a weekday the closing dot (or a year) is required, and a number
 * after "version", "v" or a measure is left alone.
 */
const DOTTED_DAY_MONTH = /(?<![\d.,])(\d{1,2})\.(\d{1,2})\.(\d{4})?(?![\d.])/g;

/** Dates chrono does not read (or reads otherwise): "the 16th", "Friday 11.12", EOD, end of week. */
function customMentions(text: string, today: LocalDate, dayFirst: boolean): DateMention[] {
  const found: DateMention[] = [];
  if (dayFirst && text.includes('/')) {
    SLASH_DATE.lastIndex = 0;
    for (let m = SLASH_DATE.exec(text); m; m = SLASH_DATE.exec(text)) {
      const day = Number(m[1]);
      const month = Number(m[2]);
      if (month < 1 || month > 12 || day < 1 || day > 31) continue;
      let year = m[3] ? Number(m[3].length === 2 ? `20${m[3]}` : m[3]) : today.year;
      if (!isValidDate(year, month, day)) continue;
      if (!m[3] && compareDates({ year, month, day }, today) < 0) year += 1;
      if (!isValidDate(year, month, day)) continue;
      // "Thu 17/09": the weekday before it belongs to the same mention
      const weekday = new RegExp(`\\b${WEEKDAY_RE},?\\s+$`, 'i').exec(text.slice(Math.max(0, m.index - 12), m.index));
      const index = weekday ? m.index - weekday[0].length : m.index;
      found.push({ index, text: text.slice(index, m.index + m[0].length), start: { date: { year, month, day }, time: null, offsetMinutes: null }, end: null, past: false });
    }
  }
  // "the install: 20th and 21st of April": the first of two days sharing the month written after the second
  if (/\d(?:st|nd|rd|th)?\s*(?:and|&)\s*(?:the\s+)?\d/i.test(text)) {
    for (const m of text.matchAll(/\b(\d{1,2})(?:st|nd|rd|th)?(\s*(?:and|&)\s*)(?:the\s+)?\d{1,2}(?:st|nd|rd|th)\s+(?:of\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b/gi)) {
      const date = nextMonthDay(today, MONTHS.indexOf(m[3]!.toLowerCase()) + 1, Number(m[1]));
      const own = m[0].slice(0, m[1]!.length + (/^(?:st|nd|rd|th)/i.exec(m[0].slice(m[1]!.length))?.[0].length ?? 0));
      if (date && !found.some((f) => f.index === m.index)) found.push({ index: m.index!, text: own, start: { date, time: null, offsetMinutes: null }, end: null, past: false });
    }
  }
  ORDINAL_DAY.lastIndex = 0;
  for (let m = ORDINAL_DAY.exec(text); m; m = ORDINAL_DAY.exec(text)) {
    if (found.some((f) => f.index < m!.index + m![0].length && m!.index < f.index + f.text.length)) continue;
    const day = Number(m[2]);
    if (day < 1 || day > 31) continue;
    if (m[3] && !m[1]) continue;
    // "Friday 25th" or "the 16th"; a bare "5th" needs the article or a weekday to be a date
    if (!m[1] && !/\bthe\s+\d/i.test(m[0]) && !/\b(?:on|by|before|until|till)\s+$/i.test(text.slice(0, m.index))) continue;
    let date = m[3] ? nextMonthDay(today, MONTHS.indexOf(m[3].toLowerCase()) + 1, day) : nextDayOfMonth(today, day);
    if (!date) continue;
    if (m[1] && !m[3]) {
      const wanted = weekdayIndex(m[1]);
      // prefer the month where the weekday agrees ("Friday 25th")
      for (let i = 0; i < 12 && weekdayOf(date) !== wanted; i += 1) {
        const next = nextDayOfMonth(addDays(date, 1), day);
        if (!next) break;
        date = next;
      }
    }
    found.push({ index: m.index, text: m[0], start: { date, time: null, offsetMinutes: null }, end: null, past: false });
  }
  DOTTED_DATE.lastIndex = 0;
  for (let m = DOTTED_DATE.exec(text); m; m = DOTTED_DATE.exec(text)) {
    const day = Number(m[2]);
    const month = Number(m[3]);
    if (month < 1 || month > 12 || day < 1 || day > 31) continue;
    let year = m[4] ? Number(m[4]) : today.year;
    if (!m[4] && compareDates({ year, month, day }, today) < 0) year += 1;
    found.push({ index: m.index, text: m[0], start: { date: { year, month, day }, time: null, offsetMinutes: null }, end: null, past: false });
  }
  DOTTED_DAY_MONTH.lastIndex = 0;
  for (let m = DOTTED_DAY_MONTH.exec(text); m; m = DOTTED_DAY_MONTH.exec(text)) {
    const day = Number(m[1]);
    const month = Number(m[2]);
    if (month < 1 || month > 12 || day < 1 || day > 31 || overlaps(found.map((f) => ({ index: f.index, length: f.text.length })), m.index, m[0].length)) continue;
    if (/(?:\b(?:version|ver|v|release|rel|was|is|were|score|scored|rating|grade|~|±|approx)|[+#$€£])\s*$/i.test(text.slice(Math.max(0, m.index - 10), m.index))) continue;
    let year = m[3] ? Number(m[3]) : today.year;
    if (!isValidDate(year, month, day)) continue;
    if (!m[3] && compareDates({ year, month, day }, today) < 0) year += 1;
    if (!isValidDate(year, month, day)) continue;
    found.push({ index: m.index, text: m[0], start: { date: { year, month, day }, time: null, offsetMinutes: null }, end: null, past: false });
  }
  const eod = END_OF_DAY.exec(text);
  if (eod && !/\b(?:tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/i.test(text.slice(Math.max(0, eod.index - 20), eod.index))) {
    found.push({ index: eod.index, text: eod[0], start: { date: today, time: { hour: 17, minute: 0 }, offsetMinutes: null }, end: null, past: false });
  }
  const eow = END_OF_WEEK.exec(text);
  if (eow) {
    const shift = (5 - weekdayOf(today) + 7) % 7;
    found.push({ index: eow.index, text: eow[0], start: { date: addDays(today, shift), time: { hour: 17, minute: 0 }, offsetMinutes: null }, end: null, past: false });
  }
  const fortnight = FORTNIGHT.exec(text);
  if (fortnight) found.push({ index: fortnight.index, text: fortnight[0], start: { date: addDays(today, 14), time: null, offsetMinutes: null }, end: null, past: false });
  const eom = END_OF_MONTH.exec(text);
  if (eom) {
    const last = DateTime.utc(today.year, today.month, 1).endOf('month');
    found.push({ index: eom.index, text: eom[0], start: { date: { year: last.year, month: last.month, day: last.day }, time: { hour: 17, minute: 0 }, offsetMinutes: null }, end: null, past: false });
  }
  return found;
}

/** A stray number chrono took for a date ("2.4 release", "room 3"): no letters, colon or slash. */
function isNumericNoise(text: string): boolean {
  return !/[a-z]/i.test(text) && !/:/.test(text) && !/\d{1,2}\/\d{1,2}/.test(text) && !/\d{4}-\d{2}-\d{2}/.test(text);
}

function fromChrono(result: chrono.ParsedResult, text: string, today: LocalDate): DateMention | null {
  let mentionText = result.text;
  if (isNumericNoise(mentionText) || VAGUE.test(mentionText.trim())) return null;
  // ("the battery lasts 24h, charge it for 2h": a length of time is no time)
  if (/^(?:lasts?|(?:for\s+)?\d+\s*(?:h|hrs?|hours?|mins?|minutes?))$/i.test(mentionText.trim())) return null;
  // ("the Müller wedding": chrono's word boundary falls inside a word with a non-ASCII letter, "the M" is no date)
  const charAfter = text.charAt(result.index + mentionText.length);
  const charBefore = text.charAt(result.index - 1);
  if ((/\p{L}/u.test(charAfter) && /\p{L}$/u.test(mentionText)) || (/\p{L}/u.test(charBefore) && /^\p{L}/u.test(mentionText))) return null;
  const start = result.start;
  // "on 19 Nov, 10 till 12": chrono takes the hour after the comma for a year; no year is written, the hours are the day's
  const fakeYear = start.isCertain('year') && !/\b\d{4}\b|['’]\d{2}\b/.test(mentionText) && /,\s*\d{1,2}\b/.test(mentionText);
  if (fakeYear) {
    const cut = mentionText.search(/,\s*\d{1,2}\b/);
    if (cut > 0) mentionText = mentionText.slice(0, cut);
  }
  const yearCertain = start.isCertain('year') && !fakeYear;
  // a month alone ("late April", "in June") or a bare part of day ("the night before") is no date
  if (!start.isCertain('day') && !start.isCertain('weekday') && !start.isCertain('hour') && !/\b(?:today|tonight|tomorrow|tmrw|tmr|yesterday|this (?:morning|afternoon|evening))\b/i.test(mentionText)) return null;
  let date: LocalDate = { year: (yearCertain ? start.get('year') : null) ?? today.year, month: start.get('month') ?? 1, day: start.get('day') ?? 1 };
  const before = text.slice(Math.max(0, result.index - 12), result.index).toLowerCase();
  // ("every last Friday of the month": a schedule, no one day)
  if (/\b(?:every|each)\s+last\s*$/.test(before) || (/\b(?:every|each)\s*$/.test(before) && /^last\b/i.test(mentionText))) return null;
  const saysLast = /\blast\s*$/.test(before) || /^last\b/i.test(mentionText);
  const saysPast = saysLast || /\b(?:yesterday|ago)\b/i.test(mentionText);
  const dayStated = start.isCertain('day');
  if (!saysPast) {
    if (!dayStated && start.isCertain('weekday') && compareDates(date, today) < 0) date = addDays(date, 7);
    if (dayStated && !yearCertain && compareDates(date, today) < 0) {
      date = { ...date, year: date.year + 1 };
      if (!isValidDate(date.year, date.month, date.day)) return null;
    }
  }
  const clause = text.slice(Math.max(0, result.index - 60), result.index + mentionText.length + 40);
  let time = timeOf(start, mentionText, clause);
  let end: ResolvedMoment | null = null;
  const offsetMinutes = start.isCertain('timezoneOffset') ? start.get('timezoneOffset') : null;
  if (result.end && result.end.isCertain('hour')) {
    const endTime = timeOf(result.end, mentionText, clause);
    // "7-11am", "11-2pm": a start without am or pm takes the half of the day the stated end puts it in
    const startStated = start.isCertain('meridiem') && /^[^-–]*?\d\s*(?:am|pm|a\.m\.|p\.m\.)/i.test(mentionText);
    if (endTime && time && !startStated && result.end.isCertain('meridiem') && start.isCertain('hour')) {
      const raw = start.get('hour') ?? 0;
      const endPm = endTime.hour >= 12;
      const raw12 = raw % 12;
      const end12 = endTime.hour % 12;
      const sameHalf = raw12 < end12 || (raw12 === end12 && (start.get('minute') ?? 0) < (result.end.get('minute') ?? 0));
      const startPm = sameHalf ? endPm : !endPm;
      time = { hour: raw12 + (startPm ? 12 : 0), minute: time.minute };
    }
    if (endTime && time && endTime.hour < time.hour && time.hour >= 12 && endTime.hour + 12 < 24) endTime.hour += 12;
    // "from Wednesday to Thursday at 11": the end has a day of its own
    let endDate = date;
    if (result.end.isCertain('day') || result.end.isCertain('weekday')) {
      endDate = { year: result.end.get('year') ?? date.year, month: result.end.get('month') ?? date.month, day: result.end.get('day') ?? date.day };
      while (compareDates(endDate, date) < 0) endDate = addDays(endDate, 7);
    }
    end = { date: endDate, time: endTime, offsetMinutes };
    // "7-10pm": the start takes the end's half of the day
    if (time && endTime && time.hour < 12 && endTime.hour >= 12 && time.hour + 12 <= endTime.hour && !/am\b/i.test(mentionText)) {
      time = { hour: time.hour + 12, minute: time.minute };
    }
  }
  let length = mentionText.length;
  // "between 9 and noon", "from 10 to midday": chrono keeps only one end of the span
  const span = BETWEEN_NOON.exec(mentionText) ?? (/^(?:noon|midday)\b/i.test(mentionText) ? BETWEEN_NOON.exec(text.slice(Math.max(0, result.index - 30), result.index + 6)) : null);
  if (span) {
    const h1 = Number(span[1]);
    time = { hour: h1 >= 1 && h1 <= 7 ? h1 + 12 : h1, minute: Number(span[2] ?? 0) };
    end = { date, time: { hour: /midnight/i.test(span[3]!) ? 0 : 12, minute: 0 }, offsetMinutes };
  }
  if (!end) {
    const range = hourRange(text.slice(result.index + mentionText.length));
    if (range && (!time || !start.isCertain('hour'))) {
      time = range.start;
      end = { date, time: range.end, offsetMinutes };
      length += range.length;
    }
  }
  if (!time) {
    const partText = text.slice(result.index + mentionText.length, result.index + mentionText.length + 30);
    const lead = text.slice(Math.max(0, result.index - 16), result.index);
    const hour = /^,?\s*first thing\b/i.test(partText)
      ? 9
      : /^,?\s*(?:during the |in the )?(?:morning|afternoon|evening|night)\b/i.test(partText)
      ? partOfDay(partText.split(/[,.;!?]/).slice(0, 2).join(' '))
      : /first thing\s*$/i.test(lead)
        ? 9
        : null;
    if (hour !== null) time = { hour, minute: 0 };
  }
  const past = compareDates(date, today) < 0;
  return { index: result.index, text: text.slice(result.index, result.index + length), start: { date, time, offsetMinutes }, end, past };
}

/**
 * Every date mentioned in `text`, resolved against `sentAt` (an ISO instant) in `timeZone`,
 * in order of appearance.
 */
export function findDates(text: string, sentAt: string, timeZone: string, isThing: (word: string) => boolean = () => false): DateMention[] {
  if (!DATE_HINT.test(text)) return [];
  text = withColonTimes(text);
  const instant = new Date(sentAt);
  const today = localDay(instant, timeZone);
  const custom = customMentions(text, today, !MONTH_FIRST_ZONE.test(timeZone));
  // hide what the custom readers took, so chrono does not read it a second time
  let masked = text;
  for (const c of custom) masked = masked.slice(0, c.index) + ' '.repeat(c.text.length) + masked.slice(c.index + c.text.length);
  // ("every other Monday now, 9:15", "from now on": chrono reads "now" as the moment the message was sent)
  if (/\bnow\b/i.test(masked)) masked = masked.replace(/\b(?:right\s+)?now\b/gi, (word) => ' '.repeat(word.length));
  const mentions: DateMention[] = [...custom];
  const spans: Span[] = custom.map((c) => ({ index: c.index, length: c.text.length }));
  const results = parser.parse(masked, { instant, timezone: offsetAt(instant, timeZone) });
  // "observing night to next Friday": chrono reads a range from a bare part of day; the day after "to" is the mention
  for (let i = 0; i < results.length; i += 1) {
    const r = results[i]!;
    const certain = (c: chrono.ParsedComponents) => c.isCertain('day') || c.isCertain('weekday') || c.isCertain('hour');
    // "moved from Monday to Tuesday morning": chrono reads one day with the other's part of day; the two days are two mentions
    const across = /\bmov|push|shift|resched|postpon|brought/i.test(masked.slice(Math.max(0, r.index - 40), r.index)) ? new RegExp(`^(?:from\\s+)?${WEEKDAY_RE}\\s+(to|till|until)\\s+(?=${WEEKDAY_RE}\\b)`, 'i').exec(r.text) : null;
    if (across) {
      const from = r.index + across[0].length;
      results.splice(i, 1, ...parser.parse(' '.repeat(r.index) + masked.slice(r.index, r.index + across[0].length - across[1]!.length - 1), { instant, timezone: offsetAt(instant, timeZone) }), ...parser.parse(' '.repeat(from) + masked.slice(from, r.index + r.text.length), { instant, timezone: offsetAt(instant, timeZone) }));
      continue;
    }
    if (certain(r.start) || !r.end || !certain(r.end)) continue;
    const sep = /\s(?:to|until|till|-|–)\s/i.exec(r.text);
    if (!sep) continue;
    const from = r.index + sep.index + sep[0].length;
    results.splice(i, 1, ...parser.parse(' '.repeat(from) + masked.slice(from, r.index + r.text.length), { instant, timezone: offsetAt(instant, timeZone) }));
  }
  for (let i = 0; i < results.length; i += 1) {
    const result = results[i]!;
    if (overlaps(spans, result.index, result.text.length)) {
      // "12 noon on the 23rd": chrono ran the time on into a day read already; the time alone is kept
      const cut = Math.min(...spans.filter((sp) => sp.index > result.index && sp.index < result.index + result.text.length).map((sp) => sp.index));
      if (Number.isFinite(cut) && cut - result.index >= 3) {
        results.splice(i + 1, 0, ...parser.parse(' '.repeat(result.index) + masked.slice(result.index, cut), { instant, timezone: offsetAt(instant, timeZone) }).filter((r) => !overlaps(spans, r.index, r.text.length)));
      }
      continue;
    }
    const mention = fromChrono(result, masked, today);
    if (mention) mentions.push({ ...mention, text: text.slice(mention.index, mention.index + mention.text.length) });
  }
  // "they're coming at 4", "be rigged by 1": a bare hour after at / by / before / until that chrono left
  BARE_HOUR.lastIndex = 0;
  for (let m = BARE_HOUR.exec(text); m; m = BARE_HOUR.exec(text)) {
    const hour = Number(m[1]);
    const at = m.index + m[0].length - m[1]!.length;
    if (hour < 1 || hour > 12 || mentions.some((d) => at < d.index + d.text.length && d.index < at + m![1]!.length)) continue;
    const evening = hour >= 8 && hour <= 11 && EVENING_CONTEXT.test(text.slice(Math.max(0, at - 60), at + 40));
    mentions.push({ index: at, text: m[1]!, start: { date: today, time: { hour: hour <= 7 || evening ? hour + 12 : hour, minute: 0 }, offsetMinutes: null }, end: null, past: false });
  }
  // "drinks fri 6ish": an hour with "ish" is that hour (1 to 7 afternoon, as bare hours)
  if (/\dish\b/i.test(text)) {
    for (const m of text.matchAll(/\b(\d{1,2})(?::(\d{2}))?\s?ish\b/gi)) {
      const hour = Number(m[1]);
      if (hour < 1 || hour > 12 || mentions.some((d) => m.index! < d.index + d.text.length && d.index < m.index! + m[0].length)) continue;
      const evening = hour >= 8 && hour <= 11 && EVENING_CONTEXT.test(text.slice(Math.max(0, m.index! - 60), m.index! + 40));
      mentions.push({ index: m.index!, text: m[0], start: { date: today, time: { hour: hour <= 7 || evening ? hour + 12 : hour, minute: Number(m[2] ?? 0) }, offsetMinutes: null }, end: null, past: false });
    }
  }
  // "Saturday 10h", "tomorrow 9h", "15h at the theatre", "19h-22h": whole hours written the French way (24-hour)
  if (/\dh\b/i.test(text)) {
    for (const m of text.matchAll(/\b([01]?\d|2[0-3])h(?:\s*(?:-|–|to|à)\s*([01]?\d|2[0-3])h(?:([0-5]\d)\b)?)?\b(?![\d.,]\d)/gi)) {
      const lead = text.slice(Math.max(0, m.index! - 24), m.index!);
      const timed = /\b(?:at|from|until|till|by|before|after|à|@|de)\s*$/i.test(lead) || /(?:day|today|tonight|tomorrow|\d(?:st|nd|rd|th)?|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)[\s,]*$/i.test(lead) || m[2] !== undefined;
      if (!timed || /\b(?:for|in|takes?|took|about|approx|over|under|within|every|each)\s*$/i.test(lead)) continue;
      if (mentions.some((d) => m.index! < d.index + d.text.length && d.index < m.index! + m[0].length)) continue;
      const end = m[2] !== undefined ? { date: today, time: { hour: Number(m[2]), minute: Number(m[3] ?? 0) }, offsetMinutes: null } : null;
      mentions.push({ index: m.index!, text: m[0], start: { date: today, time: { hour: Number(m[1]), minute: 0 }, offsetMinutes: null }, end, past: false });
    }
  }
  // "curtain at half seven", "full dress, seven o'clock": spoken times (1 to 7 are afternoon, as bare hours)
  if (WORD_TIME_HINT.test(text)) {
    WORD_TIME.lastIndex = 0;
    for (let m = WORD_TIME.exec(text); m; m = WORD_TIME.exec(text)) {
      const word = (m[3] ?? m[4] ?? '').toLowerCase();
      let hour = /^\d+$/.test(word) ? Number(word) : NUMBER_WORDS.indexOf(word) + 1;
      if (hour < 1 || hour > 12 || mentions.some((d) => m!.index < d.index + d.text.length && d.index < m!.index + m![0].length)) continue;
      let minute = 0;
      const part = m[1]?.toLowerCase();
      if (part) {
        minute = part === 'half' ? 30 : m[2]?.toLowerCase() === 'to' ? 45 : 15;
        // "quarter to eight" is 7:45; "half seven" and "half past seven" are 7:30
        if (m[2]?.toLowerCase() === 'to') hour -= 1;
        if (part === 'quarter' && !m[2]) continue;
      }
      if (hour < 1) continue;
      const evening = hour >= 8 && hour <= 11 && EVENING_CONTEXT.test(text.slice(Math.max(0, m.index - 60), m.index + 40));
      mentions.push({ index: m.index, text: m[0], start: { date: today, time: { hour: hour <= 7 || evening ? hour + 12 : hour, minute }, offsetMinutes: null }, end: null, past: false });
    }
  }
  // a bare part of day after a custom day ("Friday 25th, during the afternoon break")
  for (const m of [...mentions]) {
    if (m.start.time || !custom.includes(m)) continue;
    const after = text.slice(m.index + m.text.length, m.index + m.text.length + 40);
    const part = /^,?\s*(?:during the |in the |at )?(morning|afternoon|evening|night|noon)\b/i.exec(after);
    const hour = part ? partOfDay(part[1] ?? '') : null;
    if (hour !== null) m.start.time = { hour, minute: 0 };
    // "Tuesday the 21st between 9 and 12", "Saturday 16th, 10 till 3": a range of hours on that day
    const range = m.start.time ? null : hourRange(after);
    if (range) {
      {
        m.start.time = range.start;
        m.end = { date: m.start.date, time: range.end, offsetMinutes: null };
        const to = m.index + m.text.length + range.length;
        m.text = text.slice(m.index, to);
        for (let i = mentions.length - 1; i >= 0; i -= 1) if (mentions[i] !== m && mentions[i]!.index >= m.index && mentions[i]!.index < to) mentions.splice(i, 1);
        continue;
      }
    }
    const at = /^,?\s*(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?:\b|(?<=\.))/i.exec(after);
    // "the 19th, 6pm to 9pm": a range read there is left whole, to be joined to the day below
    const ranged = at !== null && mentions.some((o) => o.end?.time && o.index >= m.index + m.text.length && o.index <= m.index + m.text.length + at[0].length);
    if (!m.start.time && at && !ranged && (at[3] || at[2] || /\bat\s/i.test(at[0]))) {
      let hour2 = Number(at[1]);
      const meridiem = at[3]?.toLowerCase().replace(/\./g, '');
      if (meridiem === 'pm' && hour2 < 12) hour2 += 12;
      else if (meridiem === 'am' && hour2 === 12) hour2 = 0;
      // "Friday the 13th at 7:15": a bare hour from 1 to 7 is afternoon, with minutes too ("06:30" stays morning)
      else if (!meridiem && !/^0/.test(at[1]!) && hour2 >= 1 && hour2 <= 7) hour2 += 12;
      if (hour2 < 24) {
        m.start.time = { hour: hour2, minute: Number(at[2] ?? 0) };
        // "01.10. at 19:30": the time read on its own there is this day's, not another mention
        const to = m.index + m.text.length + at[0].length;
        for (let i = mentions.length - 1; i >= 0; i -= 1) if (mentions[i] !== m && isTimeOnly(mentions[i]!) && mentions[i]!.index >= m.index + m.text.length && mentions[i]!.index < to) mentions.splice(i, 1);
        m.text = text.slice(m.index, to);
      }
    }
  }
  // a time soon after a day names that day's time ("Friday 27th at the Crown, 7pm")
  mentions.sort((a, b) => a.index - b.index);
  const merged: DateMention[] = [];
  for (const m of mentions) {
    const prev = merged[merged.length - 1];
    const gap = prev ? m.index - (prev.index + prev.text.length) : Infinity;
    // "Saturday, briefing 12:30", "Saturday is up. Crew call 6:30am": a part that names another happening has its own time
    // ("Saturday 7 November, doors 8pm" and "on for Saturday! Meet at the trailhead 6:30am" do not);
    // "next Monday, cars have to be out by 7am": a deadline's time is not the day's
    const ownThing = (): boolean => {
      const between = text.slice(prev!.index + prev!.text.replace(/[,;.\s]+$/, '').length, m.index);
      const part = /[,;.!?\n]\s*([^,;.!?\n]*)$/.exec(between);
      return part !== null && (/\b(?:by|before|until|till)\s*$/i.test(between) || isThing(`${part[1]}${m.text}`));
    };
    // "5pm on Friday 2nd October", "at 7, Saturday the 14th": a time just before a day is that day's time
    if (prev && prev.start.time && !m.start.time && isTimeOnly(prev) && !isTimeOnly(m) && /^\s*,?\s*(?:on\s+)?(?:this\s+)?$/i.test(text.slice(prev.index + prev.text.length, m.index))) {
      merged[merged.length - 1] = {
        ...m,
        index: prev.index,
        text: text.slice(prev.index, m.index + m.text.length),
        spans: [...(prev.spans ?? [{ index: prev.index, length: prev.text.length }]), ...(m.spans ?? [{ index: m.index, length: m.text.length }])],
        start: { ...m.start, time: prev.start.time, offsetMinutes: prev.start.offsetMinutes },
        end: prev.end ? { ...prev.end, date: m.start.date } : m.end,
      };
      continue;
    }
    if (prev && !prev.start.time && m.start.time && gap <= 45 && isTimeOnly(m) && !isTimeOnly(prev) && !ownThing()) {
      merged[merged.length - 1] = {
        ...prev,
        text: text.slice(prev.index, m.index + m.text.length),
        spans: [...(prev.spans ?? [{ index: prev.index, length: prev.text.length }]), ...(m.spans ?? [{ index: m.index, length: m.text.length }])],
        start: { ...prev.start, time: m.start.time, offsetMinutes: m.start.offsetMinutes },
        end: m.end ? { ...m.end, date: prev.start.date } : prev.end,
      };
      // "Thursday Oct 15 between 9 and noon": chrono reads the day and "noon", the span starts at 9
      const span = BETWEEN_NOON.exec(text.slice(prev.index, m.index + m.text.length));
      if (span) {
        const h1 = Number(span[1]);
        const last = merged[merged.length - 1]!;
        last.start = { ...last.start, time: { hour: h1 >= 1 && h1 <= 7 ? h1 + 12 : h1, minute: Number(span[2] ?? 0) } };
        last.end = { date: prev.start.date, time: { hour: 12, minute: 0 }, offsetMinutes: m.start.offsetMinutes };
      }
      continue;
    }
    merged.push(m);
  }
  // a time alone takes the day named before it in the message ("Call sheet for Saturday. Crew call 6:30am")
  let day: DateMention | null = null;
  for (const m of merged) {
    if (!isTimeOnly(m)) {
      if (compareDates(m.start.date, today) >= 0) day = m;
    } else if (day && m.start.time) {
      m.start = { ...m.start, date: day.start.date };
      if (m.end) m.end = { ...m.end, date: day.start.date };
    }
  }
  // "a week from Friday", "two weeks on Monday", "Friday week": that day, a week or more later
  for (const m of merged) {
    if (isTimeOnly(m)) continue;
    const lead = /\b(a|one|two|three)\s+weeks?\s+(?:from|on|after)\s+(?:this\s+)?$/i.exec(text.slice(Math.max(0, m.index - 24), m.index));
    const trail = /^\s+week\b(?!\s*(?:end|day|night|s\b))/i.test(text.slice(m.index + m.text.length)) && new RegExp(`^(?:${WEEKDAY_RE}|tomorrow|today)$`, 'i').test(m.text.trim());
    // ("tomorrow week's game to 2pm": chrono may read the week inside the mention)
    const inside = new RegExp(`^(?:${WEEKDAY_RE}|tomorrow|today)\\s+week\\b(?!\\s*(?:end|day|night|s\\b))`, 'i').test(m.text);
    const weeks = lead ? ({ a: 1, one: 1, two: 2, three: 3 } as Record<string, number>)[lead[1]!.toLowerCase()]! : trail || inside ? 1 : 0;
    if (weeks > 0) {
      m.start = { ...m.start, date: addDays(m.start.date, 7 * weeks) };
      if (m.end) m.end = { ...m.end, date: addDays(m.end.date, 7 * weeks) };
    }
  }
  // "the burial is Friday 19th June ... church service Friday 10am": a bare weekday is the day of that name the message dated
  const bareWeekday = new RegExp(`^(?:on\\s+)?(${WEEKDAY_RE})\\b`, 'i');
  const MONTH_NAME = new RegExp(`\\b(?:${MONTHS.join('|')})[a-z]*\\b`, 'i');
  const withoutTimes = (t: string) => t.replace(/\b\d{1,2}(?:[:.h]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.|h)?(?:\s*[-–]\s*\d{1,2}(?:[:.h]\d{2})?\s*(?:am|pm|h)?)?(?=\W|$)(?<!\d(?:st|nd|rd|th))/gi, (x) => (/[:.h]|am|pm/i.test(x) ? '' : x));
  for (const m of merged) {
    const bare = bareWeekday.exec(m.text.trim()) && !/\d/.test(withoutTimes(m.text)) && !MONTH_NAME.test(m.text) ? true : null;
    if (!bare || /\b(?:next|this|last|every)\s*$/i.test(text.slice(Math.max(0, m.index - 6), m.index))) continue;
    // ("every other Monday now, 9:15, next one the 9th": a schedule's next one may be named after it)
    const schedule = /\bevery\s+(?:other\s+|second\s+)?$/i.test(text.slice(Math.max(0, m.index - 16), m.index));
    const named = merged.find((o) => o !== m && (o.index < m.index || (schedule && /\bnext one\s+(?:is\s+)?(?:on\s+)?$/i.test(text.slice(Math.max(0, o.index - 16), o.index)))) && /\d/.test(withoutTimes(o.text)) && !isTimeOnly(o) && weekdayOf(o.start.date) === weekdayOf(m.start.date) && compareDates(o.start.date, m.start.date) > 0);
    if (!named) continue;
    const shift = Math.round((Date.UTC(named.start.date.year, named.start.date.month - 1, named.start.date.day) - Date.UTC(m.start.date.year, m.start.date.month - 1, m.start.date.day)) / 86_400_000);
    if (shift > 0 && shift <= 7 * 8) {
      m.start = { ...m.start, date: named.start.date };
      if (m.end) m.end = { ...m.end, date: addDays(m.end.date, shift) };
    }
  }
  // "the 15th and 16th of Oct, 9-4 both days": days listed together share the hours given with the last
  for (let i = 0; i + 1 < merged.length; i += 1) {
    const a = merged[i]!;
    const b = merged[i + 1]!;
    if (a.start.time || !b.start.time || isTimeOnly(a) || isTimeOnly(b)) continue;
    if (!/^\s*(?:and|&|,)\s*$/i.test(text.slice(a.index + a.text.length, b.index))) continue;
    // ("the 15th and 16th of Oct": the month written once is both days')
    const day = !MONTH_NAME.test(a.text) && MONTH_NAME.test(b.text) && /^(?:the\s+)?\d{1,2}(?:st|nd|rd|th)$/i.test(a.text.trim()) ? { year: b.start.date.year, month: b.start.date.month, day: a.start.date.day } : a.start.date;
    if (isValidDate(day.year, day.month, day.day)) a.start = { ...a.start, date: day };
    a.start = { ...a.start, time: b.start.time, offsetMinutes: b.start.offsetMinutes };
    if (b.end?.time) a.end = { date: a.start.date, time: b.end.time, offsetMinutes: b.end.offsetMinutes };
  }
  for (const m of merged) m.past = compareDates(m.start.date, today) < 0;
  return merged;
}

/** True when the mention gives only a time of day ("at 3pm", "evening"), no day. */
export function isTimeOnly(mention: DateMention): boolean {
  const rest = mention.text.replace(/(\d)\s*(?:am|pm|a\.m\.|p\.m\.|h|\s?ish)\b/gi, '$1').replace(/\b(?:at|am|pm|from|to|and|between|utc|gmt|in|the|during|morning|afternoon|evening|night|noon|midday|half|quarter|past|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b|\bo['’]clock\b/gi, '');
  return !/[a-z]{2,}/i.test(rest) && !/\d{1,2}[/.]\d{1,2}(?!:)|\d{4}-\d{2}/.test(rest.replace(/\d{1,2}:\d{2}/g, ''));
}
