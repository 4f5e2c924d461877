/**
 * Mail delivery through a real SMTP server on loopback (smtp-server). A reset mail is queued by
 * the API in the same transaction as its job, delivered by the mail-deliver job, and marked sent.
 * What the delivery promises, each checked here: no row lock or transaction is held while the mail
 * server answers; a refused mail goes back to `queued` with the reason for the retry; delivery is
 * at-least-once with a stable Message-ID, so a lost attempt (a stale claim, a job that expired) is
 * sent again by the sweep, once, and never by two jobs at the same time.
 */
import type { AddressInfo } from 'node:net';
import { newTraceId, systemContext } from '@goalpost/api';
import { eventually, startTestApp, type TestApp } from '@goalpost/testing';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mailDeliver } from './mail-deliver.ts';
import { mailSweep } from './mail-sweep.ts';

const received: { to: string[]; raw: string }[] = [];
let refuse = false;
/** While set, the SMTP server holds each message until it is released. */
let hold: Promise<void> | null = null;
let smtp: SMTPServer;
let t: TestApp;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    onRcptTo(_address, _session, callback) {
      if (refuse) return callback(new Error('Mailbox unavailable (test)'));
      callback();
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => {
        raw += chunk.toString('utf8');
      });
      stream.on('end', async () => {
        await hold;
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

const sql = <T>(query: string, params: unknown[] = []) => t.app.services.orm.em.fork().execute<T[]>(query, params);
const ctx = () => systemContext(t.app.services, newTraceId());

async function mailRow(to: string) {
  const rows = await sql<{ id: string; status: string; attempts: number; last_error: string | null }>(
    'select id, status, attempts, last_error from mail_messages where to_address = ? order by created_at desc limit 1',
    [to],
  );
  return rows[0];
}

async function insertMail(to: string, status: string, extra = '') {
  const [row] = await sql<{ id: string }>(
    `insert into mail_messages (id, org_id, to_address, kind, subject, text, html, status, attempts, created_at${extra ? ', claimed_at' : ''})
     values (gen_random_uuid(), ?, ?, 'invite', 'Stuck', 'text', '<p>html</p>', ?, ${extra ? 1 : 0}, now() - interval '20 minutes'${extra ? `, ${extra}` : ''})
     returning id`,
    [t.app.services.orgId, to, status],
  );
  return row!.id;
}

const messageId = (raw: string) => raw.match(/^Message-ID: (.*)$/im)?.[1]?.trim();

it('delivers a queued mail over SMTP, marks it sent and keeps no working link', async () => {
  await t.client().trpc.auth.requestPasswordReset.mutate({ email: 'admin@goalpost.test' });
  const delivered = await eventually(async () => received.find((m) => m.to.includes('admin@goalpost.test')));
  const row = await eventually(async () => {
    const r = await mailRow('admin@goalpost.test');
    return r?.status === 'sent' ? r : undefined;
  });
  const admin = await t.admin();
  const { items } = await admin.trpc.mail.list.query({ search: 'admin@goalpost.test' });
  const stored = await admin.trpc.mail.open.mutate({ mailId: items.find((m) => m.kind === 'password-reset')!.id });
  const [viewed] = await sql<{ n: string }>(
    "select count(*) as n from audit_events where action = 'mail.viewed' and data->>'mailId' = ?",
    [stored.id],
  );
  expect({
    storedLink: stored.text.match(/reset-password\?token=\S+/)?.[0],
    viewedAudit: viewed?.n,
    subject: delivered.raw.match(/^Subject: (.*)$/m)?.[1]?.trim(),
    from: delivered.raw.match(/^From: (.*)$/m)?.[1]?.trim(),
    messageId: messageId(delivered.raw),
    hasLink: /reset-password\?token=[a-z0-9]{32}/.test(delivered.raw.replace(/=\r?\n/g, '').replaceAll('=3D', '=')),
    row: { status: row.status, attempts: row.attempts, last_error: row.last_error },
  }).toEqual({
    storedLink: 'reset-password?token=[sent]',
    viewedAudit: '1',
    subject: 'Reset your Goalpost password',
    from: 'Goalpost <no-reply@goalpost.test>',
    messageId: `<${row.id}@${new URL(t.app.services.settings.publicUrl).hostname}>`,
    hasLink: true,
    row: { status: 'sent', attempts: 1, last_error: null },
  });
});

it('holds no lock on the mail while the mail server answers, and one job at a time sends it', async () => {
  let release = () => {};
  hold = new Promise((r) => {
    release = r;
  });
  const mailId = await insertMail('slow@goalpost.test', 'queued');
  const first = mailDeliver.handle(ctx(), { mailId }, { last: false });
  await eventually(async () => (await mailRow('slow@goalpost.test'))?.status === 'sending');
  // Another session can lock the row at once: no transaction is open around the SMTP call.
  const [locked] = await t.app.services.orm.em
    .fork()
    .transactional((tx) =>
      tx.execute<{ id: string }[]>('select id from mail_messages where id = ? for update nowait', [mailId]),
    );
  const second = await mailDeliver.handle(ctx(), { mailId }, { last: false });
  release();
  hold = null;
  expect({
    locked: locked?.id,
    second,
    first: await first,
    copies: received.filter((m) => m.to.includes('slow@goalpost.test')).length,
  }).toEqual({ locked: mailId, second: 'skipped', first: 'sent', copies: 1 });
});

it('puts a refused mail back in the queue with the reason, for the retry', async () => {
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

it('sends a mail whose job was lost, and a stale claim, again through the sweep: once, with the same Message-ID', async () => {
  // A mail still queued long after its job expired and was purged, and one claimed by an attempt
  // that died mid-send (its claim is older than the lease).
  const lost = await insertMail('lost@goalpost.test', 'queued');
  const claimed = await insertMail('claimed@goalpost.test', 'sending', "now() - interval '20 minutes'");
  const swept = await mailSweep.handle(ctx(), {}, { last: true });
  const rows = await eventually(async () => {
    const a = await mailRow('lost@goalpost.test');
    const b = await mailRow('claimed@goalpost.test');
    return a?.status === 'sent' && b?.status === 'sent' ? [a, b] : undefined;
  });
  const again = await mailSweep.handle(ctx(), {}, { last: true });
  const host = new URL(t.app.services.settings.publicUrl).hostname;
  const copies = (to: string) => received.filter((m) => m.to.includes(to)).map((m) => messageId(m.raw));
  expect({
    swept,
    rows: rows.map((r) => [r.status, r.attempts]),
    again,
    lost: copies('lost@goalpost.test'),
    claimed: copies('claimed@goalpost.test'),
  }).toEqual({
    swept: 're-queued 2 mails',
    rows: [
      ['sent', 1],
      ['sent', 2],
    ],
    again: 're-queued 0 mails',
    lost: [`<${lost}@${host}>`],
    claimed: [`<${claimed}@${host}>`],
  });
});
