import { Migration } from '@mikro-orm/migrations';

export class Migration20261126115522 extends Migration {

  override name = 'Migration20261126115522';

  override up(): void | Promise<void> {
    this.addSql(`drop index "mail_messages_queued_idx";`);
    this.addSql(`alter table "mail_messages" drop constraint "mail_messages_status_check";`);
    this.addSql(`alter table "mail_messages" add "claimed_at" timestamptz null;`);
    this.addSql(`create index "mail_messages_queued_idx" on "mail_messages" ("created_at") where status in ('queued', 'sending');`);
    this.addSql(`alter table "mail_messages" add constraint "mail_messages_status_check" check ("status" in ('captured', 'queued', 'sending', 'sent', 'failed'));`);

    this.addSql(`alter table "audit_events" add "trace_id" varchar(64) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "audit_events" drop column "trace_id";`);

    this.addSql(`drop index "mail_messages_queued_idx";`);
    this.addSql(`alter table "mail_messages" drop constraint "mail_messages_status_check";`);
    this.addSql(`alter table "mail_messages" drop column "claimed_at";`);
    this.addSql(`create index "mail_messages_queued_idx" on "mail_messages" ("created_at") where status = 'queued'::text;`);
    this.addSql(`alter table "mail_messages" add constraint "mail_messages_status_check" check ("status" in ('captured', 'queued', 'sent', 'failed'));`);
  }

}
