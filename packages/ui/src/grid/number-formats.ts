/**
 * What spreadsheet programs tell us about a copied number: the separators of the locale it was
 * shown in, and whether its number format makes it a plain number, a date, a percentage or text.
 * Excel states separators in its HTML (`mso-displayed-decimal-separator`), LibreOffice a Windows
 * locale id (LCID) in `sdnum`, Google Sheets nothing (the user's own locale applies).
 */

/** How a locale writes numbers. `group` is `' '` for any space-like separator (space, NBSP, narrow NBSP). */
export interface NumberLocale {
  /** BCP 47 tag, when the source names a locale (LibreOffice, or the user's own). Excel states only separators. */
  tag?: string;
  decimal: string;
  group: string;
}

const SPACE_LIKE = /^[\s\u00a0\u202f\u2007\u2009]+$/u;

/** The separators `Intl` uses for a BCP 47 tag, e.g. `de-DE` → `,` and `.`. */
export function numberLocale(tag: string): NumberLocale {
  const parts = new Intl.NumberFormat(tag, { useGrouping: true }).formatToParts(1234567.5);
  const decimal = parts.find((p) => p.type === 'decimal')?.value ?? '.';
  const rawGroup = parts.find((p) => p.type === 'group')?.value ?? '';
  return { tag, decimal, group: SPACE_LIKE.test(rawGroup) ? ' ' : rawGroup };
}

/** A separator as Excel writes it in CSS (already unescaped): whitespace of any kind means "space". */
export function separatorFromCss(value: string): string {
  if (value === '') return '';
  return SPACE_LIKE.test(value) ? ' ' : value;
}

/** Windows locale ids LibreOffice writes in `sdnum`, for the locales a budget is likely to come from. */
const LCID_TAGS: Record<number, string> = {
  1025: 'ar-SA',
  1028: 'zh-TW',
  1029: 'cs-CZ',
  1030: 'da-DK',
  1031: 'de-DE',
  1032: 'el-GR',
  1033: 'en-US',
  1034: 'es-ES',
  1035: 'fi-FI',
  1036: 'fr-FR',
  1037: 'he-IL',
  1038: 'hu-HU',
  1040: 'it-IT',
  1041: 'ja-JP',
  1042: 'ko-KR',
  1043: 'nl-NL',
  1044: 'nb-NO',
  1045: 'pl-PL',
  1046: 'pt-BR',
  1048: 'ro-RO',
  1049: 'ru-RU',
  1050: 'hr-HR',
  1051: 'sk-SK',
  1053: 'sv-SE',
  1055: 'tr-TR',
  1058: 'uk-UA',
  1060: 'sl-SI',
  1061: 'et-EE',
  1062: 'lv-LV',
  1063: 'lt-LT',
  1081: 'hi-IN',
  2052: 'zh-CN',
  2055: 'de-CH',
  2057: 'en-GB',
  2058: 'es-MX',
  2060: 'fr-BE',
  2064: 'it-CH',
  2067: 'nl-BE',
  2070: 'pt-PT',
  3079: 'de-AT',
  3081: 'en-AU',
  3082: 'es-ES',
  3084: 'fr-CA',
  4105: 'en-CA',
  4108: 'fr-CH',
  5129: 'en-NZ',
  6153: 'en-IE',
  7177: 'en-ZA',
  16393: 'en-IN',
};

/** The BCP 47 tag of a Windows LCID, or undefined for one we do not know. */
export function localeFromLcid(lcid: number): string | undefined {
  return LCID_TAGS[lcid];
}

export type FormatKind = 'number' | 'percent' | 'date' | 'text' | 'boolean';

const NAMED_FORMATS: Record<string, FormatKind> = {
  general: 'number',
  'general number': 'number',
  standard: 'number',
  fixed: 'number',
  currency: 'number',
  scientific: 'number',
  percent: 'percent',
  'general date': 'date',
  'long date': 'date',
  'medium date': 'date',
  'short date': 'date',
  'long time': 'date',
  'medium time': 'date',
  'short time': 'date',
  'yes/no': 'boolean',
  'true/false': 'boolean',
  'on/off': 'boolean',
  boolean: 'boolean',
  '@': 'text',
};

/** Words that mean "General" in number format codes written by LibreOffice in other languages. */
const GENERAL_WORDS = /general|standard|estándar|standaard|allgemein|generale|geral/giu;

/**
 * Classifies an Excel, LibreOffice or Google Sheets number format code. Number formats are made of
 * `0 # ? , . % E + -` and literals; anything else left after removing literals (quoted text,
 * escaped characters, `[...]` colours and currencies, `_x` and `*x` padding) is a date or time
 * token in some language (`yyyy`, `TT.MM.JJ`, `dd/mm/aaaa`), so it is read as a date.
 */
export function classifyFormatCode(code: string): FormatKind {
  const trimmed = code.trim();
  const named = NAMED_FORMATS[trimmed.toLowerCase()];
  if (named) return named;
  let section = '';
  let elapsedTime = false;
  for (let i = 0; i < trimmed.length; i++) {
    const ch = trimmed[i]!;
    if (ch === '"') {
      const end = trimmed.indexOf('"', i + 1);
      i = end === -1 ? trimmed.length : end;
    } else if (ch === '\\' || ch === '_' || ch === '*') {
      i++;
    } else if (ch === '[') {
      const end = trimmed.indexOf(']', i + 1);
      const inside = trimmed.slice(i + 1, end === -1 ? trimmed.length : end);
      if (/^[hms]+$/i.test(inside)) elapsedTime = true;
      i = end === -1 ? trimmed.length : end;
    } else if (ch === ';') {
      break;
    } else {
      section += ch;
    }
  }
  if (elapsedTime) return 'date';
  if (section.includes('%')) return 'percent';
  const rest = section.trim();
  if (rest === '@') return 'text';
  const letters = rest.replace(GENERAL_WORDS, '').replace(/[eE][+-]/g, '');
  return /\p{L}/u.test(letters) ? 'date' : 'number';
}

/**
 * A raw number as a spreadsheet stores it (`1234.5678`, `1.5E-05`, `-0.25`, `145250,5`) written as a
 * plain decimal with a `.` point and no exponent, or null when it is not a number. Digits are kept
 * as given (no floating point), so the money module does the one rounding to its scale.
 */
export function plainDecimal(raw: string): string | null {
  const match = /^\s*([+-]?)(\d*)(?:[.,](\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(raw);
  if (!match) return null;
  const [, sign, intPart = '', fracPart = '', exponent] = match;
  if (intPart === '' && fracPart === '') return null;
  let digits = intPart + fracPart;
  let point = intPart.length + (exponent ? Number(exponent) : 0);
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  const whole = digits.slice(0, point).replace(/^0+(?=\d)/, '') || '0';
  const fraction = digits.slice(point);
  const isZero = /^0*$/.test(whole + fraction);
  return `${sign === '-' && !isZero ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}
