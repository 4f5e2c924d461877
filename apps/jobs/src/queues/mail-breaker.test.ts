/**
 * The SMTP circuit breaker, against a real SMTP server on loopback (smtp-server) that stops
 * answering: it accepts connections and never sends its greeting, as a hung mail server does.
 * Sends time out, the circuit opens, and from then on delivery fails at once without claiming the
 * mail, so no attempt is spent while nothing could be sent (the job's failure goes back to
 * pg-boss's backoff). When the server answers again the circuit lets a trial through, closes, and
 * every mail is delivered: none lost, none failed. The breaker here has short timeouts so the test
 * is quick; the states are read from the metrics registry.
 */
import type { AddressInfo } from 'node:net';
import { deliverMail, metricsRegistry, newTraceId, smtpTransport, systemContext } from '@goalpost/api';
import { startTestApp, type TestApp } from '@goalpost/testing';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';

const received: string[] = [];
let silent = false;
let smtp: SMTPServer;
let t: TestApp;
let url: string;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    closeTimeout: 100,
    onConnect(_session, callback) {
      if (silent) return; // never greets: the client waits until its own timeout
      callback();
    },
    onData(stream, session, callback) {
      stream.resume();
      stream.on('end', () => {
        received.push(...session.envelope.rcptTo.map((r) => r.address));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  url = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  // The app itself captures mail (no SMTP_URL): this test delivers by hand through its own transport.
  t = await startTestApp();
});

afterAll(async () => {
  await t?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

async function circuit(): Promise<number | undefined> {
  const values = (await metricsRegistry.getSingleMetric('goalpost_circuit_state')?.get())?.values ?? [];
  return values.find((v) => v.labels.breaker === 'smtp')?.value;
}

async function insertMail(to: string): Promise<string> {
  const [row] = await t.sql<{ id: string }>(
    `insert into mail_messages (id, org_id, to_address, kind, subject, text, html, status, attempts, created_at)
     values (gen_random_uuid(), ?, ?, 'invite', 'Hello', 'text', '<p>html</p>', 'queued', 0, now()) returning id`,
    [t.app.services.orgId, to],
  );
  return row!.id;
}

it('opens on a mail server that stops answering, fails fast without spending attempts, and delivers everything once it answers', async () => {
  const transport = smtpTransport(url, { timeoutMs: 500, volumeThreshold: 2, resetTimeoutMs: 1_000 });
  const services = { ...t.app.services, mailer: transport };
  const deliver = (mailId: string) =>
    deliverMail(systemContext(services, newTraceId()), { mailId }).then(
      (outcome) => outcome,
      (error: Error & { code?: string }) => error.code ?? error.message,
    );
  const mails = await Promise.all(['a', 'b', 'c', 'd'].map((n) => insertMail(`${n}@breaker.test`)));

  silent = true;
  const whileSilent = [];
  for (const id of mails) whileSilent.push(await deliver(id));
  const stateWhileSilent = await circuit();
  const rows = () =>
    t.sql<{ to_address: string; status: string; attempts: number }>(
      "select to_address, status, attempts from mail_messages where to_address like '%@breaker.test' order by to_address",
    );
  const rowsWhileSilent = await rows();

  silent = false;
  // After the reset timeout the circuit lets one trial call through.
  await t.eventually(async () => (await circuit()) === 1 || undefined);
  const afterwards = [];
  for (const id of mails) afterwards.push(await deliver(id));

  expect({
    whileSilent,
    stateWhileSilent,
    rowsWhileSilent,
    afterwards,
    stateAfterwards: await circuit(),
    received: [...received].sort(),
    rows: await rows(),
  }).toEqual({
    // Two sends time out (the opossum timeout), which opens the circuit; the rest fail at once.
    whileSilent: ['ETIMEDOUT', 'ETIMEDOUT', 'CIRCUIT_OPEN', 'CIRCUIT_OPEN'],
    stateWhileSilent: 2,
    rowsWhileSilent: [
      { to_address: 'a@breaker.test', status: 'queued', attempts: 1 },
      { to_address: 'b@breaker.test', status: 'queued', attempts: 1 },
      { to_address: 'c@breaker.test', status: 'queued', attempts: 0 },
      { to_address: 'd@breaker.test', status: 'queued', attempts: 0 },
    ],
    afterwards: ['sent', 'sent', 'sent', 'sent'],
    stateAfterwards: 0,
    received: ['a@breaker.test', 'b@breaker.test', 'c@breaker.test', 'd@breaker.test'],
    rows: [
      { to_address: 'a@breaker.test', status: 'sent', attempts: 2 },
      { to_address: 'b@breaker.test', status: 'sent', attempts: 2 },
      { to_address: 'c@breaker.test', status: 'sent', attempts: 1 },
      { to_address: 'd@breaker.test', status: 'sent', attempts: 1 },
    ],
  });
});
