/**
 * Mail delivery through a real SMTP server on loopback (smtp-server): a password-reset mail is
 * queued by the API, delivered by the mail-deliver job, and marked sent. When the SMTP server
 * refuses, the mail stays queued with the reason and the job retries.
 */
import type { AddressInfo } from 'node:net';
import { eventually, startTestApp, type TestApp } from '@goalpost/server/testing';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';

const received: { to: string[]; raw: string }[] = [];
let refuse = false;
let smtp: SMTPServer;
let t: TestApp;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo(address, _session, callback) {
      if (refuse) return callback(new Error('Mailbox unavailable (test)'));
      callback();
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => {
        raw += chunk.toString('utf8');
      });
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const { port } = smtp.server.address() as AddressInfo;
  t = await startTestApp({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Goalpost <no-reply@goalpost.test>' });
});

afterAll(async () => {
  await t?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

async function mailRow(to: string) {
  const rows = await t.app.services.orm.em
    .fork()
    .execute<{ status: string; attempts: number; last_error: string | null }[]>(
      'select status, attempts, last_error from mail_messages where to_address = ? order by created_at desc limit 1',
      [to],
    );
  return rows[0];
}

it('delivers a queued mail over SMTP and marks it sent', async () => {
  await t.client().trpc.auth.requestPasswordReset.mutate({ email: 'admin@goalpost.test' });
  const delivered = await eventually(async () => received.find((m) => m.to.includes('admin@goalpost.test')));
  const row = await eventually(async () => {
    const r = await mailRow('admin@goalpost.test');
    return r?.status === 'sent' ? r : undefined;
  });
  expect({
    subject: delivered.raw.match(/^Subject: (.*)$/m)?.[1]?.trim(),
    from: delivered.raw.match(/^From: (.*)$/m)?.[1]?.trim(),
    hasLink: /reset-password\?token=[a-z0-9]{32}/.test(delivered.raw.replace(/=\r?\n/g, '').replaceAll('=3D', '=')),
    row,
  }).toEqual({
    subject: 'Reset your Goalpost password',
    from: 'Goalpost <no-reply@goalpost.test>',
    hasLink: true,
    row: { status: 'sent', attempts: 1, last_error: null },
  });
});

it('keeps a refused mail queued with the reason, for the retry', async () => {
  refuse = true;
  const admin = await t.admin();
  await admin.trpc.users.create.mutate({ email: 'bounce@goalpost.test', name: 'Bounce', roles: ['user'] });
  const row = await eventually(async () => {
    const r = await mailRow('bounce@goalpost.test');
    return r?.last_error ? r : undefined;
  });
  refuse = false;
  expect({ status: row.status, attempts: row.attempts, reason: row.last_error }).toEqual({
    status: 'queued',
    attempts: 1,
    reason: expect.stringContaining('Mailbox unavailable (test)'),
  });
});
