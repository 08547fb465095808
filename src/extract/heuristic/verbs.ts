/** Action verbs that open an instruction ("send the deck", "Dani, deep clean the walk-in"). */

export const ACTION_VERBS = new Set(
  `add answer approve arrange ask attend back bake book bring buy call cancel change chase check circulate clean clear collect
  compare complete confirm contact cook count cover create deep deliver deploy design document double-check draft drive
  drop email empty fetch file fill find finish fix follow grab handle help install invite label lead learn log mail make
  measure merge message move mow note open order organise organize pack pay pick ping plan post practise practice prepare
  present print put reach read record refill register remind renew repair replace reply reschedule research respond
  restock restring return review rotate run schedule send set share show sign sort start study submit take teach tell
  test text transfer translate triage update upload wash water write`.split(/\s+/),
);

/** Verbs that describe a state, not something to do: "I'll need ...", "I'll be there". */
export const STATE_VERBS = new Set(
  'be need have miss see know think want like love hate feel guess hope try wait mean remember let'.split(' '),
);

export function isActionVerb(word: string): boolean {
  return ACTION_VERBS.has(word.toLowerCase().replace(/[^a-z-]/g, ''));
}
