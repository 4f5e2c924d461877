import { expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from './password.ts';

it('hashes with argon2id and verifies only the right password', async () => {
  const hash = await hashPassword('Correct-horse-battery-9');
  expect({
    algorithm: hash.split('$')[1],
    right: await verifyPassword(hash, 'Correct-horse-battery-9'),
    wrong: await verifyPassword(hash, 'correct-horse-battery-9'),
    garbage: await verifyPassword('not-a-hash', 'anything'),
  }).toEqual({ algorithm: 'argon2id', right: true, wrong: false, garbage: false });
});

it('explains why a password is refused', async () => {
  expect({
    short: await passwordProblem('abc', 10),
    common: await passwordProblem('1234567890', 10),
    commonAnyCase: await passwordProblem('PASSWORD123', 10),
    personal: await passwordProblem('ada-lovelace-rules', 10, ['ada.lovelace', 'Lovelace']),
    repetitive: await passwordProblem('aaaaaaaaaaab', 10),
    fine: await passwordProblem('Correct-horse-battery-9', 10, ['ada', 'Ada Lovelace']),
  }).toEqual({
    short: 'Use at least 10 characters.',
    common: 'This password is one of the most common passwords. Choose another.',
    commonAnyCase: 'This password is one of the most common passwords. Choose another.',
    personal: 'Do not use your name or email address in your password.',
    repetitive: 'Use more different characters.',
    fine: null,
  });
});
