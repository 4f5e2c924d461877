/**
 * Mail delivery through a real SMTP server on loopback (smtp-server): a password-reset mail is
 * queued by the API, delivered by the mail-deliver job, and marked sent. When the SMTP server
 * refuses, the mail stays queued with the reason and the job retries.
 */
import type { AddressInfo } from 'node:net';
import { smtpTransport } from '@goalpost/api';
import { eventually, startTestApp, type TestApp } from '@goalpost/server/testing';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mailSweep } from './mail-sweep.ts';

const received: { to: string[]; raw: string }[] = [];
let refuse = false;
let smtp: SMTPServer;
let t: TestApp;
let smtpUrl: string;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo(_address, _session, callback) {
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
  smtpUrl = `smtp://127.0.0.1:${port}`;
  t = await startTestApp({ SMTP_URL: smtpUrl, MAIL_FROM: 'Goalpost <no-reply@goalpost.test>' });
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
  const admin = await t.admin();
  const { items } = await admin.trpc.mail.list.query({ search: 'admin@goalpost.test' });
  const stored = await admin.trpc.mail.get.query({ mailId: items.find((m) => m.kind === 'password-reset')!.id });
  const viewed = await t.app.services.orm.em
    .fork()
    .execute<{ n: string }[]>(
      "select count(*) as n from audit_events where action = 'mail.viewed' and data->>'mailId' = ?",
      [stored.id],
    );
  expect({
    storedLink: stored.text.match(/reset-password\?token=\S+/)?.[0],
    viewedAudit: viewed[0]?.n,
    subject: delivered.raw.match(/^Subject: (.*)$/m)?.[1]?.trim(),
    from: delivered.raw.match(/^From: (.*)$/m)?.[1]?.trim(),
    hasLink: /reset-password\?token=[a-z0-9]{32}/.test(delivered.raw.replace(/=\r?\n/g, '').replaceAll('=3D', '=')),
    row,
  }).toEqual({
    storedLink: 'reset-password?token=[sent]',
    viewedAudit: '1',
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

it('re-queues a mail left queued by a crash, and sends it once', async () => {
  const em = t.app.services.orm.em.fork();
  await em.execute(
    `insert into mail_messages (id, org_id, to_address, kind, subject, text, html, status, attempts, created_at)
     values (gen_random_uuid(), ?, 'stuck@goalpost.test', 'invite', 'Stuck', 'text', '<p>html</p>', 'queued', 0, now() - interval '10 minutes')`,
    [t.app.services.orgId],
  );
  const swept = await mailSweep.handle({ services: t.app.services, transport: smtpTransport(smtpUrl) });
  const row = await eventually(async () => {
    const r = await mailRow('stuck@goalpost.test');
    return r?.status === 'sent' ? r : undefined;
  });
  const again = await mailSweep.handle({ services: t.app.services, transport: smtpTransport(smtpUrl) });
  expect({ swept, row, again, copies: received.filter((m) => m.to.includes('stuck@goalpost.test')).length }).toEqual({
    swept: 're-queued 1 mails',
    row: { status: 'sent', attempts: 1, last_error: null },
    again: 're-queued 0 mails',
    copies: 1,
  });
});
