/**
 * What Excel, Google Sheets and LibreOffice put on the clipboard, read cell by cell. The fixtures
 * are written here in the shapes of real captures (/work/shared/paste-samples describes them):
 * Excel's HTML carries `x:num` raw values, number formats in a <style> block and its separators in
 * `mso-displayed-*-separator`; Google Sheets' carries `data-sheets-value` JSON; LibreOffice's
 * carries `sdval` in the locale its `sdnum` names. The displayed text is what the TSV flavour holds,
 * and it is rounded and decorated, so each fixture's displayed text deliberately differs from its
 * raw value wherever a real spreadsheet's would. The last test turns every fixture into what a
 * budget grid stores, the way the samples' expected.json files state it.
 */
import { describe, expect, it } from 'vitest';
import { enterAmount, enterText } from './cell-entry.ts';
import { type ClipboardCell, parseTsv, readClipboard } from './clipboard.ts';
import { numberLocale } from './number-formats.ts';
import { formatTwoDecimals, fromRawTwoDecimals, parseTwoDecimals } from './test-amounts.ts';

const EN = { decimal: '.', group: ',' };

/** Excel 365 on Windows, en-US: a header row, raw values behind formatted text, and junk. */
const excelWindows = {
  text:
    'Line\tJan\tFeb\tShare\tStart\r\n' +
    'Rent\t1,234.57\t(250.00)\t4.25%\t1/1/2027\r\n' +
    'Travel\t#######\t - \t12\tTBD\r\n' +
    'Total\t#DIV/0!\t12\t\t\r\n',
  html: `<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns="http://www.w3.org/TR/REC-html40">
<head><meta http-equiv=Content-Type content="text/html; charset=utf-8">
<meta name=ProgId content=Excel.Sheet><meta name=Generator content="Microsoft Excel 15">
<style>
<!--table
	{mso-displayed-decimal-separator:"\\.";
	mso-displayed-thousand-separator:"\\,";}
td
	{mso-number-format:General;
	white-space:nowrap;}
.xl65
	{mso-number-format:"\\#\\,\\#\\#0\\.00";}
.xl66
	{mso-number-format:"_\\(* \\#\\,\\#\\#0\\.00_\\)\\;_\\(* \\\\\\(\\#\\,\\#\\#0\\.00\\\\\\)\\;_\\(* \\0022-\\0022??_\\)\\;_\\(\\@_\\)";}
.xl67
	{mso-number-format:"0\\.00%";}
.xl68
	{mso-number-format:"Short Date";}
-->
</style></head>
<body link="#467886" vlink="#96607D">
<table border=0 cellpadding=0 cellspacing=0 width=400>
<!--StartFragment-->
 <tr height=19>
  <td height=19 width=80>Line</td>
  <td width=80>Jan</td>
  <td width=80>Feb</td>
  <td width=80>Share</td>
  <td width=80>Start</td>
 </tr>
 <tr height=19>
  <td height=19>Rent</td>
  <td class=xl65 align=right x:num="1234.5678">1,234.57</td>
  <td class=xl66 x:num="-250"><span style='mso-spacerun:yes'> </span>(250.00)</td>
  <td class=xl67 align=right x:num="4.2500000000000003E-2">4.25%</td>
  <td class=xl68 align=right x:num="46388">1/1/2027</td>
 </tr>
 <tr height=19>
  <td height=19>Travel</td>
  <td class=xl65 align=right x:num="1234567.891">#######</td>
  <td class=xl66 x:num="0"><span style='mso-spacerun:yes'> </span>-<span style='mso-spacerun:yes'> </span></td>
  <td align=right x:num>12</td>
  <td>TBD</td>
 </tr>
 <tr height=19>
  <td height=19>Total</td>
  <td align=right x:err="#DIV/0!" x:fmla="=B2/0">#DIV/0!</td>
  <td align=right x:num="12" x:fmla="=SUM(C2:C3)+12.25-12.25">12</td>
  <td></td>
  <td></td>
 </tr>
<!--EndFragment-->
</table>
</body>
</html>`,
};

/** Excel 15 on macOS, fr-FR: an in-cell line break (quoted in TSV, <br> in HTML), space grouping. */
const excelMac = {
  text: 'Poste\t"Note\r\nsur deux lignes"\r\nLoyer\t1 234,5\r\n',
  html: `<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns="http://www.w3.org/TR/REC-html40"> <head> <meta http-equiv=Content-Type content="text/html; charset=utf-8"> <meta name=ProgId content=Excel.Sheet> <meta name=Generator content="Microsoft Excel 15"> <style> <!--table {mso-displayed-decimal-separator:"\\,"; mso-displayed-thousand-separator:"\\00A0";} td {mso-number-format:General; white-space:nowrap;} .xl65 {white-space:normal;} --> </style> </head> <body> <table border=0 cellpadding=0 cellspacing=0 width=174> <!--StartFragment--> <col width=87 span=2> <tr height=39> <td height=39 width=87>Poste</td> <td class=xl65 width=87>Note<br>sur&nbsp;deux lignes</td> </tr> <tr height=21> <td height=21>Loyer</td> <td>1&nbsp;234,5</td> </tr> <!--EndFragment--> </table> </body> </html>`,
};

/** Google Sheets: JSON raw values, a date serial under a date format, a percentage, text, a boolean. */
const googleSheets = {
  text: 'Rent\t1,234.57\t2027-01-01\nShare\t12.50%\tn/a\nFlag\tTRUE\t\n',
  html:
    '<meta charset=\'utf-8\'><google-sheets-html-origin><style type="text/css"><!--td {border: 1px solid #cccccc;}br {mso-data-placement:same-cell;}--></style>' +
    '<table xmlns="http://www.w3.org/1999/xhtml" cellspacing="0" cellpadding="0" dir="ltr" border="1" style="table-layout:fixed;font-size:10pt;font-family:Arial;width:0px;border-collapse:collapse;border:none"><colgroup><col width="100"/><col width="100"/><col width="100"/></colgroup><tbody>' +
    '<tr style="height:21px;"><td style="overflow:hidden;padding:2px 3px 2px 3px;vertical-align:bottom;" data-sheets-value="{&quot;1&quot;:2,&quot;2&quot;:&quot;Rent&quot;}">Rent</td>' +
    '<td style="overflow:hidden;padding:2px 3px 2px 3px;vertical-align:bottom;text-align:right;" data-sheets-value="{&quot;1&quot;:3,&quot;3&quot;:1234.5678}" data-sheets-numberformat="{&quot;1&quot;:2,&quot;2&quot;:&quot;#,##0.00&quot;,&quot;3&quot;:1}" data-sheets-formula="=R[0]C[1]*2">1,234.57</td>' +
    '<td style="overflow:hidden;padding:2px 3px 2px 3px;vertical-align:bottom;text-align:right;" data-sheets-value="{&quot;1&quot;:3,&quot;3&quot;:46388}" data-sheets-numberformat="{&quot;1&quot;:5,&quot;2&quot;:&quot;yyyy-mm-dd&quot;,&quot;3&quot;:1}">2027-01-01</td></tr>' +
    '<tr style="height:21px;"><td data-sheets-value="{&quot;1&quot;:2,&quot;2&quot;:&quot;Share&quot;}">Share</td>' +
    '<td data-sheets-value="{&quot;1&quot;:3,&quot;3&quot;:0.125}" data-sheets-numberformat="{&quot;1&quot;:3,&quot;2&quot;:&quot;0.00%&quot;,&quot;3&quot;:1}">12.50%</td>' +
    '<td data-sheets-value="[null,2,&quot;n/a&quot;]">n/a</td></tr>' +
    '<tr style="height:21px;"><td data-sheets-value="{&quot;1&quot;:2,&quot;2&quot;:&quot;Flag&quot;}">Flag</td>' +
    '<td data-sheets-value="{&quot;1&quot;:4,&quot;4&quot;:true}">TRUE</td>' +
    '<td data-sheets-numberformat="{&quot;1&quot;:2,&quot;2&quot;:&quot;#,##0.00&quot;,&quot;3&quot;:1}"></td></tr>' +
    '</tbody></table>',
};

/** LibreOffice Calc 7.4, de-DE: `sdval` with a decimal comma, `k. A.` as text, an empty <td><br></td>. */
const libreOffice = {
  text: 'Miete\t145.250,50 €\t01.01.2027\nReise\tk. A.\t \nQuote\t12,50 %\tZeile eins Zeile zwei\n',
  html: `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0 Transitional//EN">
<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"/><title></title>
<meta name="generator" content="LibreOffice 7.4.7.2 (Linux)"/>
<style type="text/css">body,div,table,thead,tbody,tfoot,tr,th,td,p { font-family:"Liberation Sans"; font-size:x-small }</style>
</head><body>
<table cellspacing="0" border="0">
	<colgroup span="3" width="85"></colgroup>
	<tr>
		<td height="17" align="left">Miete</td>
		<td align="right" sdval="145250,5" sdnum="1031;0;#.##0,00 [$€-407];[RED]-#.##0,00 [$€-407]">145.250,50 €</td>
		<td align="right" sdval="46388" sdnum="1031;1031;TT.MM.JJJJ">01.01.2027</td>
	</tr>
	<tr>
		<td height="17" align="left">Reise</td>
		<td align="left">k. A.</td>
		<td align="left"><br></td>
	</tr>
	<tr>
		<td height="17" align="left">Quote</td>
		<td align="right" sdval="0,125" sdnum="1031;0;0,00%">12,50 %</td>
		<td align="left" sdnum="1031;0;@">Zeile eins<br>Zeile zwei</td>
	</tr>
</table>
</body></html>`,
};

const text = (t: string, locale?: { decimal: string; group: string; tag?: string }): ClipboardCell =>
  locale ? { kind: 'text', text: t, locale } : { kind: 'text', text: t };
const empty: ClipboardCell = { kind: 'empty' };

describe('readClipboard', () => {
  it('reads Excel for Windows by its raw values, formats and stated separators', () => {
    expect(readClipboard(excelWindows)).toEqual([
      [text('Line', EN), text('Jan', EN), text('Feb', EN), text('Share', EN), text('Start', EN)],
      [
        text('Rent', EN),
        { kind: 'number', value: '1234.5678', text: '1,234.57' },
        { kind: 'number', value: '-250', text: '(250.00)' },
        { kind: 'percent', value: '0.042500000000000003', text: '4.25%' },
        { kind: 'date', text: '1/1/2027' },
      ],
      [
        text('Travel', EN),
        { kind: 'number', value: '1234567.891', text: '#######' },
        { kind: 'number', value: '0', text: '-' },
        text('12', EN),
        text('TBD', EN),
      ],
      [
        text('Total', EN),
        { kind: 'error', text: '#DIV/0!' },
        { kind: 'number', value: '12', text: '12' },
        empty,
        empty,
      ],
    ]);
  });

  it('reads Excel for Mac: a <br> is a line break, NBSP a space, the separators fr-FR style', () => {
    const fr = { decimal: ',', group: ' ' };
    expect(readClipboard(excelMac)).toEqual([
      [text('Poste', fr), text('Note\nsur deux lignes', fr)],
      [text('Loyer', fr), text('1 234,5', fr)],
    ]);
  });

  it('reads Google Sheets by data-sheets-value: numbers, a date serial, a percentage, text and a boolean', () => {
    expect(readClipboard(googleSheets)).toEqual([
      [text('Rent'), { kind: 'number', value: '1234.5678', text: '1,234.57' }, { kind: 'date', text: '2027-01-01' }],
      [text('Share'), { kind: 'percent', value: '0.125', text: '12.50%' }, text('n/a')],
      [text('Flag'), { kind: 'boolean', text: 'TRUE' }, empty],
    ]);
  });

  it('reads one Google Sheets cell, which comes as a span without a table', () => {
    const html =
      '<meta charset="utf-8"><google-sheets-html-origin><span style="font-size:10pt" data-sheets-value="{&quot;1&quot;:3,&quot;3&quot;:-0.5}" data-sheets-userformat="{&quot;2&quot;:513}">-0.50</span>';
    expect(readClipboard({ text: '-0.50', html })).toEqual([[{ kind: 'number', value: '-0.5', text: '-0.50' }]]);
  });

  it('reads LibreOffice de-DE: sdval by its locale, dates and percentages by sdnum, <td><br></td> as empty', () => {
    const de = numberLocale('de-DE');
    expect(readClipboard(libreOffice)).toEqual([
      [
        text('Miete'),
        { kind: 'number', value: '145250.5', text: '145.250,50 €' },
        { kind: 'date', text: '01.01.2027' },
      ],
      [text('Reise'), text('k. A.'), empty],
      [text('Quote'), { kind: 'percent', value: '0.125', text: '12,50 %' }, text('Zeile eins\nZeile zwei', de)],
    ]);
  });

  it('spreads merged cells over the positions they cover', () => {
    const html =
      '<table><tr><td colspan=2 x:num="5">5</td><td rowspan=2>R</td></tr><tr><td>a</td><td>b</td></tr></table>';
    expect(readClipboard({ html })).toEqual([
      [{ kind: 'number', value: '5', text: '5' }, empty, text('R')],
      [text('a'), text('b'), empty],
    ]);
  });

  it('falls back to the TSV when the HTML holds no table, and pads ragged rows', () => {
    expect(readClipboard({ text: 'a\tb\tc\r\nd\r\n', html: '<p>copied from a web page</p>' })).toEqual([
      [text('a'), text('b'), text('c')],
      [text('d'), empty, empty],
    ]);
    expect(readClipboard({ text: '' })).toEqual([]);
  });
});

describe('parseTsv', () => {
  it('follows the rules Excel writes TSV by', () => {
    expect({
      crlf: parseTsv('a\tb\r\nc\td\r\n'),
      lf: parseTsv('a\tb\nc\td\n'),
      crOnly: parseTsv('a\rb\r'),
      noFinalRowEnd: parseTsv('a\tb'),
      blankLastRow: parseTsv('a\n\n'),
      trailingTabs: parseTsv('baz\t\t\r\n'),
      quotedLineBreakAndTab: parseTsv('<foo>\t"bar\nbaz\tqux"\nfoo"bar\tfoo/bar'),
      escapedQuotes: parseTsv('"say ""hi"""\tx'),
      quoteNotAtStart: parseTsv('5" pipe\tx'),
      unclosedQuote: parseTsv('"open\tx\ny'),
      quoteFollowedByText: parseTsv('"a"b\tc'),
      singleEmptyCell: parseTsv('\r\n'),
      nothing: parseTsv(''),
    }).toEqual({
      crlf: [
        ['a', 'b'],
        ['c', 'd'],
      ],
      lf: [
        ['a', 'b'],
        ['c', 'd'],
      ],
      crOnly: [['a'], ['b']],
      noFinalRowEnd: [['a', 'b']],
      blankLastRow: [['a'], ['']],
      trailingTabs: [['baz', '', '']],
      quotedLineBreakAndTab: [
        ['<foo>', 'bar\nbaz\tqux'],
        ['foo"bar', 'foo/bar'],
      ],
      escapedQuotes: [['say "hi"', 'x']],
      quoteNotAtStart: [['5" pipe', 'x']],
      unclosedQuote: [['"open', 'x'], ['y']],
      quoteFollowedByText: [['"a"b', 'c']],
      singleEmptyCell: [['']],
      nothing: [],
    });
  });
});

/**
 * Each fixture as a budget grid stores it, in the samples' expected.json shape: amounts as decimal
 * strings rounded to 2 places from the raw value, null for empty, {error: true} for a refused cell.
 */
describe('what the grid stores from each fixture', () => {
  type Stored = string | null | { error: true };
  function store(cells: ClipboardCell[][], kinds: ('text' | 'amount')[], locale: string): Stored[][] {
    const reader = {
      parseAmount: parseTwoDecimals,
      fromRaw: fromRawTwoDecimals,
      amountText: (minor: bigint) => formatTwoDecimals(minor, locale),
      userLocale: numberLocale(locale),
    };
    return cells.map((row) =>
      row.map((cell, i) => {
        if (kinds[i] === 'text') return enterText(cell, reader).value as string | null;
        const entry = enterAmount(cell, reader);
        if (entry.refused) return { error: true };
        return typeof entry.value === 'bigint' ? (Number(entry.value) / 100).toFixed(2) : null;
      }),
    );
  }

  it('matches what a person would expect from each program', () => {
    const error = { error: true } as const;
    expect({
      excelWindows: store(
        readClipboard(excelWindows).slice(1),
        ['text', 'amount', 'amount', 'amount', 'amount'],
        'en-US',
      ),
      excelMac: store(readClipboard(excelMac), ['text', 'text'], 'fr-FR'),
      excelMacAmounts: store(readClipboard(excelMac).slice(1), ['text', 'amount'], 'en-US'),
      googleSheets: store(readClipboard(googleSheets), ['text', 'amount', 'amount'], 'en-US'),
      libreOffice: store(readClipboard(libreOffice), ['text', 'amount', 'text'], 'en-US'),
      plainTsvInGerman: store(
        readClipboard({ text: '1.234,56\t(250,00)\r\n-1.200,00 €\tTBD\r\n' }),
        ['amount', 'amount'],
        'de-DE',
      ),
      leadingEquals: store(readClipboard({ text: '=SUM(A1:A2)\t=SUM(A1:A2)\n' }), ['text', 'amount'], 'en-US'),
    }).toEqual({
      excelWindows: [
        ['Rent', '1234.57', '-250.00', error, error],
        ['Travel', '1234567.89', '0.00', '12.00', error],
        ['Total', error, '12.00', null, null],
      ],
      excelMac: [
        ['Poste', 'Note\nsur deux lignes'],
        ['Loyer', '1 234,5'],
      ],
      // Read in Excel's fr-FR separators, not the en-US user's: 1 234,5 is 1234.50.
      excelMacAmounts: [['Loyer', '1234.50']],
      googleSheets: [
        ['Rent', '1234.57', error],
        ['Share', error, error],
        ['Flag', error, null],
      ],
      libreOffice: [
        ['Miete', '145250.50', '01.01.2027'],
        ['Reise', error, null],
        ['Quote', error, 'Zeile eins\nZeile zwei'],
      ],
      plainTsvInGerman: [
        ['1234.56', '-250.00'],
        ['-1200.00', error],
      ],
      leadingEquals: [['=SUM(A1:A2)', error]],
    });
  });
});
