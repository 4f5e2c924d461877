import { describe, expect, it } from 'vitest';
import { classifyFormatCode, localeFromLcid, numberLocale, plainDecimal, separatorFromCss } from './number-formats.ts';

describe('classifyFormatCode', () => {
  it('tells numbers from dates, percentages, text and booleans in any program and language', () => {
    const codes = [
      'General',
      'Standard',
      'Currency',
      '#,##0.00',
      '"$"#,##0.00_);[Red]\\("$"#,##0.00\\)',
      '_(* #,##0.00_);_(* \\(#,##0.00\\);_(* "-"??_);_(@_)',
      '#.##0,00 [$€-407];[RED]-#.##0,00 [$€-407]',
      '0.00E+00',
      '0.00%',
      'Percent',
      'Short Date',
      'm/d/yyyy',
      'yyyy\\-mm\\-dd',
      '[$-409]d\\-mmm\\-yy;@',
      'TT.MM.JJJJ',
      'dd/mm/aaaa',
      '[h]:mm:ss',
      '@',
      'BOOLEAN',
    ];
    expect(Object.fromEntries(codes.map((code) => [code, classifyFormatCode(code)]))).toEqual({
      General: 'number',
      Standard: 'number',
      Currency: 'number',
      '#,##0.00': 'number',
      '"$"#,##0.00_);[Red]\\("$"#,##0.00\\)': 'number',
      '_(* #,##0.00_);_(* \\(#,##0.00\\);_(* "-"??_);_(@_)': 'number',
      '#.##0,00 [$€-407];[RED]-#.##0,00 [$€-407]': 'number',
      '0.00E+00': 'number',
      '0.00%': 'percent',
      Percent: 'percent',
      'Short Date': 'date',
      'm/d/yyyy': 'date',
      'yyyy\\-mm\\-dd': 'date',
      '[$-409]d\\-mmm\\-yy;@': 'date',
      'TT.MM.JJJJ': 'date',
      'dd/mm/aaaa': 'date',
      '[h]:mm:ss': 'date',
      '@': 'text',
      BOOLEAN: 'boolean',
    });
  });
});

describe('plainDecimal', () => {
  it('writes raw spreadsheet numbers as plain decimals without touching their digits', () => {
    const raws = [
      '1234.5678',
      '-250',
      '1.5E-05',
      '4.2500000000000003E-2',
      '1e+21',
      '145250,5',
      '+3.50',
      '-0',
      '.5',
      '007',
      'abc',
      '',
      '1.2.3',
    ];
    expect(Object.fromEntries(raws.map((raw) => [raw, plainDecimal(raw)]))).toEqual({
      '1234.5678': '1234.5678',
      '-250': '-250',
      '1.5E-05': '0.000015',
      '4.2500000000000003E-2': '0.042500000000000003',
      '1e+21': '1000000000000000000000',
      '145250,5': '145250.5',
      '+3.50': '3.50',
      '-0': '0',
      '.5': '0.5',
      '007': '7',
      abc: null,
      '': null,
      '1.2.3': null,
    });
  });
});

describe('locales', () => {
  it('knows the separators of the locales budgets come from', () => {
    expect({
      enUS: numberLocale('en-US'),
      deDE: numberLocale('de-DE'),
      frFR: numberLocale('fr-FR'),
      lcid1031: localeFromLcid(1031),
      lcid2057: localeFromLcid(2057),
      unknownLcid: localeFromLcid(9999),
      excelNbsp: separatorFromCss('\u00a0'),
      excelNone: separatorFromCss(''),
    }).toEqual({
      enUS: { tag: 'en-US', decimal: '.', group: ',' },
      deDE: { tag: 'de-DE', decimal: ',', group: '.' },
      frFR: { tag: 'fr-FR', decimal: ',', group: ' ' },
      lcid1031: 'de-DE',
      lcid2057: 'en-GB',
      unknownLcid: undefined,
      excelNbsp: ' ',
      excelNone: '',
    });
  });
});
