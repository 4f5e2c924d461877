/**
 * The daily digest (the notifications-digest job, hourly): everyone with notifications waiting for
 * their digest gets one mail in their morning, at DIGEST_HOUR in their own time zone (or within
 * the next few hours, if the jobs were down at that hour). A row in notification_digests per
 * person and local date, written in the same transaction as the mail, makes it one a day however
 * many workers run the job; what arrives after the day's digest waits for the next one.
 */
import { query } from '@goalpost/db';
import type { ServiceContext } from '../context.ts';
import { sendMail } from '../mail/service.ts';
import { digestMail } from '../mail/templates.ts';
import { localParts } from '../reminders/schedule.ts';
import { NOTIFICATIONS_PATH, PREFERENCES_PATH } from './deliver.ts';

/** A digest missed at its hour (the jobs were down) is still sent this many hours later. */
const CATCH_UP_HOURS = 4;

export async function sendDigests(ctx: ServiceContext): Promise<number> {
  const now = ctx.services.clock.now();
  const hour = ctx.services.settings.digestHour;
  const waiting = await query<{ id: string; org_id: string; name: string; email: string; time_zone: string }>(
    ctx.em,
    `select u.id, u.org_id, u.name, u.email, u.time_zone from users u
     where u.status = 'active' and exists (
       select 1 from notifications n where n.recipient_id = u.id and n.email = 'digest' and n.digested_at is null)`,
  );
  const base = ctx.services.settings.publicUrl.replace(/\/$/, '');
  let sent = 0;
  for (const person of waiting) {
    const local = localParts(now, person.time_zone);
    if (local.hour < hour || local.hour >= hour + CATCH_UP_HOURS) continue;
    const mailed = await ctx.services.orm.em.fork().transactional(async (em) => {
      const [claimed] = await query<{ user_id: string }>(
        em,
        `insert into notification_digests (user_id, local_date, org_id, count, sent_at) values ($1, $2, $3, 0, $4)
         on conflict do nothing returning user_id`,
        [person.id, local.date, person.org_id, now],
      );
      if (!claimed) return false;
      const items = await query<{ title: string; body: string | null; link: string | null; created_at: string }>(
        em,
        `update notifications set digested_at = $2
         where recipient_id = $1 and email = 'digest' and digested_at is null and created_at <= $2
         returning title, body, link, created_at`,
        [person.id, now],
      );
      if (items.length === 0) return false;
      items.sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
      await query(em, 'update notification_digests set count = $3 where user_id = $1 and local_date = $2', [
        person.id,
        local.date,
        items.length,
      ]);
      await sendMail(
        { ...ctx, em },
        { address: person.email, userId: person.id },
        digestMail({
          name: person.name,
          items: items.map((i) => ({ title: i.title, body: i.body, url: `${base}${i.link ?? NOTIFICATIONS_PATH}` })),
          url: `${base}${NOTIFICATIONS_PATH}`,
          preferencesUrl: `${base}${PREFERENCES_PATH}`,
        }),
      );
      return true;
    });
    if (mailed) sent++;
  }
  return sent;
}
