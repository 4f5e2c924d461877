import { expect, it } from 'vitest';
import { parseUserCsv } from './bulk.ts';

it('reads comma, semicolon and tab files, with or without BOM, and header aliases', () => {
  const comma = parseUserCsv('Email,Full Name,Role\r\na@x.test,"Doe, Jane",accountant;supervisor\r\n', 10);
  const semicolon = parseUserCsv('\uFEFFemail;name;roles\nb@x.test;Bo;admin|user\n', 10);
  const tab = parseUserCsv('e-mail\tname\nc@x.test\tCy\n', 10);
  expect({ comma, semicolon, tab }).toEqual({
    comma: {
      rows: [{ line: 2, email: 'a@x.test', name: 'Doe, Jane', roles: ['accountant', 'supervisor'], rolesGiven: true }],
      errors: [],
    },
    semicolon: {
      rows: [{ line: 2, email: 'b@x.test', name: 'Bo', roles: ['admin', 'user'], rolesGiven: true }],
      errors: [],
    },
    // No roles column: a new person gets `user`, an existing one keeps theirs.
    tab: { rows: [{ line: 2, email: 'c@x.test', name: 'Cy', roles: ['user'], rolesGiven: false }], errors: [] },
  });
});

it('reports broken CSV, empty files and too many rows as file problems', () => {
  expect({
    broken: parseUserCsv('email,name\n"a@x.test,Unclosed\n', 10).errors.map((e) => [e.field, e.message.split(':')[0]]),
    empty: parseUserCsv('', 10).errors,
    tooMany: parseUserCsv('email,name\na@x.test,A\nb@x.test,B\nc@x.test,C\n', 2).errors,
  }).toEqual({
    broken: [['file', 'The file is not valid CSV']],
    empty: [{ line: 1, field: 'file', value: '', message: 'The file is empty.', email: '', name: '' }],
    tooMany: [
      {
        line: 0,
        field: 'file',
        value: '3',
        message: 'The file has 3 rows; the limit is 2. Split it.',
        email: '',
        name: '',
      },
    ],
  });
});

it('counts lines as a spreadsheet shows them, including quoted line breaks and blank lines', () => {
  const { rows, errors } = parseUserCsv('email,name\n\na@x.test,"Two\nLines"\nbad,Bad\n', 10);
  expect({ rows: rows.map((r) => r.line), errors: errors.map((e) => [e.line, e.field]) }).toEqual({
    rows: [3],
    errors: [[5, 'email']],
  });
});
