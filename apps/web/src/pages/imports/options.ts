/**
 * The reading options of the source step: the locale amounts are written in (shown with how that
 * locale writes 1234.56, since that is what a person recognises), and the month fiscal years start.
 */

const LOCALES = ['en-US', 'en-GB', 'de-DE', 'de-CH', 'fr-FR', 'es-ES', 'it-IT', 'nl-NL', 'pt-BR', 'sv-SE', 'en-IN'];

const NAMES = new Intl.DisplayNames(['en'], { type: 'language' });

/** "German (Germany): 1.234,56" for each locale offered, with the reader's own first when missing. */
export function localeOptions(current: string): { value: string; label: string }[] {
  const list = LOCALES.includes(current) ? LOCALES : [current, ...LOCALES];
  return list.map((locale) => ({
    value: locale,
    label: `${NAMES.of(locale) ?? locale}: ${new Intl.NumberFormat(locale, { minimumFractionDigits: 2 }).format(1234.56)}`,
  }));
}

const MONTH = new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: 'UTC' });

export const MONTH_OPTIONS = Array.from({ length: 12 }, (_, i) => ({
  value: String(i + 1),
  label: MONTH.format(new Date(Date.UTC(2027, i, 1))),
}));

/** Google Sheets links look like https://docs.google.com/spreadsheets/d/<id>/edit…; the server checks properly. */
export function looksLikeSheetLink(text: string): boolean {
  const t = text.trim();
  return /^https:\/\/docs\.google\.com\/spreadsheets\/d\/[\w-]+/.test(t) || /^[\w-]{25,}$/.test(t);
}

export const ACCEPTED_FILES = '.xlsx,.csv,.json,.txt';
