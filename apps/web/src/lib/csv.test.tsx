import { describe, expect, it } from 'vitest';
import { buildErrorReportCsv, csvCell, reportFileName } from './csv.ts';

describe('csvCell', () => {
  it('quotes only when needed, doubling quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(12)).toBe('12');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded ')).toBe('" padded "');
  });

  it('defuses values a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@cmd')).toBe("'@cmd");
  });
});

describe('buildErrorReportCsv', () => {
  it('writes a header and one line per problem, saying whose row it is', () => {
    const csv = buildErrorReportCsv([
      { line: 2, email: 'nope', name: 'Ada', field: 'email', value: 'nope', message: 'Not a valid email address.' },
      {
        line: 5,
        email: 'grace@example.com',
        name: 'Hopper, Grace',
        field: 'roles',
        value: 'boss;admin',
        message: 'Unknown role "boss". Use admin, user.',
      },
    ]);
    expect(csv).toBe(
      'line,email,name,field,value,problem\r\n' +
        '2,nope,Ada,email,nope,Not a valid email address.\r\n' +
        '5,grace@example.com,"Hopper, Grace",roles,boss;admin,"Unknown role ""boss"". Use admin, user."\r\n',
    );
  });

  it('is just the header for no problems', () => {
    expect(buildErrorReportCsv([])).toBe('line,email,name,field,value,problem\r\n');
  });
});

describe('reportFileName', () => {
  it('names the report after the upload', () => {
    expect(reportFileName('staff.csv')).toBe('staff-problems.csv');
    expect(reportFileName('team.2026.csv')).toBe('team.2026-problems.csv');
    expect(reportFileName('')).toBe('import-problems.csv');
    expect(reportFileName('staff.csv', 'invite-links')).toBe('staff-invite-links.csv');
  });
});
