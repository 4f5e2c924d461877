/**
 * How typed and pasted input becomes what a cell holds. The money functions are the two-decimal
 * stand-in the browser fixture uses too; the point here is the grid's part: which locale text is
 * read in, that raw values go through fromRaw, and that what cannot be an amount is refused with a
 * reason a person can act on while the text stays as typed.
 */
import { describe, expect, it } from 'vitest';
import { type AmountReader, enterAmount, enterText } from './cell-entry.ts';
import { numberLocale } from './number-formats.ts';
import { formatTwoDecimals, fromRawTwoDecimals, parseTwoDecimals } from './test-amounts.ts';

const reader: AmountReader = {
  parseAmount: parseTwoDecimals,
  fromRaw: fromRawTwoDecimals,
  amountText: (minor) => formatTwoDecimals(minor, 'en-US'),
  userLocale: numberLocale('en-US'),
};

describe('enterAmount', () => {
  it('reads each kind of input, and refuses what is not an amount', () => {
    const de = { decimal: ',', group: '.' };
    expect({
      typed: enterAmount('1,234.5', reader),
      typedNegativeInParens: enterAmount('($1,234,567.89)', reader),
      typedBlank: enterAmount('   ', reader),
      typedWord: enterAmount('TBD', reader),
      typedFormula: enterAmount('=A1*2', reader),
      stored: enterAmount(5n, reader),
      cleared: enterAmount(null, reader),
      rawValue: enterAmount({ kind: 'number', value: '1234.5678', text: '1,234.57' }, reader),
      textInSourceLocale: enterAmount({ kind: 'text', text: '-1.200,00 €', locale: de }, reader),
      textInUserLocale: enterAmount({ kind: 'text', text: '-1.200,00 €' }, reader),
      date: enterAmount({ kind: 'date', text: '2027-01-01' }, reader),
      percent: enterAmount({ kind: 'percent', value: '0.125', text: '12.50%' }, reader),
      boolean: enterAmount({ kind: 'boolean', text: 'TRUE' }, reader),
      error: enterAmount({ kind: 'error', text: '#DIV/0!' }, reader),
      empty: enterAmount({ kind: 'empty' }, reader),
    }).toEqual({
      typed: { value: 123450n },
      typedNegativeInParens: { value: -123456789n },
      typedBlank: { value: null },
      typedWord: { value: 'TBD', refused: '“TBD” is not an amount.' },
      typedFormula: { value: '=A1*2', refused: 'Formulas are not calculated here: enter the amount itself.' },
      stored: { value: 5n },
      cleared: { value: null },
      rawValue: { value: 123457n },
      textInSourceLocale: { value: -120000n },
      textInUserLocale: { value: '-1.200,00 €', refused: '“-1.200,00 €” is not an amount.' },
      date: { value: '2027-01-01', refused: '“2027-01-01” is a date, not an amount.' },
      percent: { value: '12.50%', refused: '“12.50%” is a percentage, not an amount.' },
      boolean: { value: 'TRUE', refused: '“TRUE” is a true/false value, not an amount.' },
      error: { value: '#DIV/0!', refused: 'The copied cell shows the spreadsheet error #DIV/0!, not an amount.' },
      empty: { value: null },
    });
  });
});

describe('enterText', () => {
  it('keeps text as shown, a leading = included; empty text is no value', () => {
    expect({
      typed: enterText('Office rent', reader),
      formula: enterText('=SUM(A1:A2)', reader),
      emptyString: enterText('', reader),
      multiline: enterText({ kind: 'text', text: 'bar\nbaz' }, reader),
      rawNumber: enterText({ kind: 'number', value: '1234.5678', text: '1,234.57' }, reader),
      amount: enterText(123450n, reader),
    }).toEqual({
      typed: { value: 'Office rent' },
      formula: { value: '=SUM(A1:A2)' },
      emptyString: { value: null },
      multiline: { value: 'bar\nbaz' },
      rawNumber: { value: '1,234.57' },
      amount: { value: '1,234.50' },
    });
  });
});
