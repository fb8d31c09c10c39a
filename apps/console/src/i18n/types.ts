/** A message in each language the console speaks; `{name}` marks a value filled in at display. */
export type Bilingual = { en: string; ja: string };
export type MessageTable = Record<string, Bilingual>;
