/**
 * Every header spelling the issue names, and the ones finance sheets use beside them, read into
 * periods in one table, so a change in one rule shows up as a diff of the whole table.
 */
import { expect, it } from 'vitest';
import type { CellValue } from './cells.ts';
import { readHeaderCell } from './mapping.ts';
import { fiscalPeriod, type HeaderReading, period, serialToDate } from './periods.ts';

const show = (r: HeaderReading | null) => {
  if (!r) return null;
  switch (r.kind) {
    case 'period':
      return `${r.granularity} ${period(r.year, r.month).slice(0, 7)}`;
    case 'year':
      return `${r.fiscal ? 'fiscal ' : ''}year ${r.year}`;
    case 'quarter':
      return `quarter ${r.quarter}`;
    default:
      return `${r.kind} ${r.month}`;
  }
};

it('reads period headers in every supported spelling', () => {
  const text = (t: string): CellValue => ({ type: 'text', text: t });
  const read = (cell: CellValue, locale = 'en-US', fiscalYearStartMonth = 1) =>
    show(readHeaderCell(cell, { locale, fiscalYearStartMonth }));
  const spellings = [
    'Jan 2027',
    'January 2027',
    'jan. 2027',
    'Jan-27',
    "Jan '27",
    '2027 Jan',
    '2027-01',
    '2027/1',
    '2027-01-31',
    '01/2027',
    '1.2027',
    'Q1 2027',
    'q3-27',
    '2027 Q4',
    'FY27 M01',
    'FY2027 P12',
    'M03 FY27',
    'FY27 Q2',
    'January',
    'Q1',
    'M07',
    'FY27',
    '2027',
    'Total',
    'Line 12',
    '13/2027',
    'Budget 2027',
  ];
  expect({
    en: Object.fromEntries(spellings.map((s) => [s, read(text(s))])),
    fiscalJuly: ['FY27 M01', 'FY27 M06', 'FY27 M07', 'FY27 Q3', 'FY2028 M12'].map((s) => read(text(s), 'en-US', 7)),
    locales: [
      read(text('Januar 2027'), 'de-DE'),
      read(text('März 2027'), 'de-DE'),
      read(text('févr. 2027'), 'fr-FR'),
      read(text('fevr 2027'), 'fr-FR'),
      read(text('diciembre 2027'), 'es-ES'),
    ],
    typed: [
      read({ type: 'date', date: new Date(Date.UTC(2027, 0, 1)) }),
      read({ type: 'date', date: serialToDate(46388) }),
      read({ type: 'number', value: 2027 }),
    ],
    serial: serialToDate(46388).toISOString(),
    fiscalPeriod: [fiscalPeriod(2027, 1, 7), fiscalPeriod(2027, 12, 7), fiscalPeriod(2027, 1, 1)],
  }).toEqual({
    en: {
      'Jan 2027': 'monthly 2027-01',
      'January 2027': 'monthly 2027-01',
      'jan. 2027': 'monthly 2027-01',
      'Jan-27': 'monthly 2027-01',
      "Jan '27": 'monthly 2027-01',
      '2027 Jan': 'monthly 2027-01',
      '2027-01': 'monthly 2027-01',
      '2027/1': 'monthly 2027-01',
      '2027-01-31': 'monthly 2027-01',
      '01/2027': 'monthly 2027-01',
      '1.2027': 'monthly 2027-01',
      'Q1 2027': 'quarterly 2027-01',
      'q3-27': 'quarterly 2027-07',
      '2027 Q4': 'quarterly 2027-10',
      'FY27 M01': 'monthly 2027-01',
      'FY2027 P12': 'monthly 2027-12',
      'M03 FY27': 'monthly 2027-03',
      'FY27 Q2': 'quarterly 2027-04',
      January: 'month 1',
      Q1: 'quarter 1',
      M07: 'fiscal-month 7',
      FY27: 'fiscal year 2027',
      '2027': 'year 2027',
      Total: null,
      'Line 12': null,
      '13/2027': null,
      'Budget 2027': null,
    },
    fiscalJuly: ['monthly 2026-07', 'monthly 2026-12', 'monthly 2027-01', 'quarterly 2027-01', 'monthly 2028-06'],
    locales: ['monthly 2027-01', 'monthly 2027-03', 'monthly 2027-02', 'monthly 2027-02', 'monthly 2027-12'],
    typed: ['monthly 2027-01', 'monthly 2027-01', 'year 2027'],
    serial: '2027-01-01T00:00:00.000Z',
    fiscalPeriod: ['2026-07-01', '2027-06-01', '2027-01-01'],
  });
});
