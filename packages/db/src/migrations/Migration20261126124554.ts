import { Migration } from '@mikro-orm/migrations';

export class Migration20261126124554 extends Migration {

  override name = 'Migration20261126124554';

  override up(): void | Promise<void> {
    this.addSql(`create table "notification_preferences" ("user_id" uuid not null, "family" text not null, "org_id" uuid not null, "in_app" boolean not null, "email" text not null, primary key ("user_id", "family"));`);

    this.addSql(`create table "notification_digests" ("user_id" uuid not null, "local_date" date not null, "org_id" uuid not null, "count" int not null, "sent_at" timestamptz not null, primary key ("user_id", "local_date"));`);

    this.addSql(`create table "dead_letters" ("id" uuid not null, "org_id" uuid not null, "consumer" varchar(60) not null, "event_id" uuid not null, "topic" varchar(100) not null, "type" varchar(100) not null, "key" varchar(100) not null, "payload" jsonb not null, "trace_id" varchar(64) null, "occurred_at" timestamptz not null, "error" text not null, "attempts" int not null, "created_at" timestamptz not null, "last_failed_at" timestamptz not null, "retried_at" timestamptz null, "retried_by_id" uuid null, "resolved_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "dead_letters_org_created_idx" on "dead_letters" ("org_id", "created_at");`);
    this.addSql(`alter table "dead_letters" add constraint "dead_letters_consumer_event_unique" unique ("consumer", "event_id");`);

    this.addSql(`create table "reminder_occurrences" ("reminder_id" uuid not null, "occurrence_at" timestamptz not null, "org_id" uuid not null, "fired_at" timestamptz not null, primary key ("reminder_id", "occurrence_at"));`);

    this.addSql(`drop index "outbox_events_unpublished_idx";`);
    this.addSql(`alter table "outbox_events" add "seq" bigserial;`);
    this.addSql(`create index "outbox_events_unpublished_idx" on "outbox_events" ("seq") where published_at is null;`);
    this.addSql(`create or replace function "outbox_events_outbox_events_notify_fn"() returns trigger as \$\$ begin perform pg_notify('outbox_events', ''); return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "outbox_events_notify" AFTER INSERT on "outbox_events" for each STATEMENT execute function "outbox_events_outbox_events_notify_fn"();`);

    this.addSql(`alter table "notifications" add "family" text not null default 'workflow', add "actor_id" uuid null, add "in_app" boolean not null default true, add "email" text not null default 'off', add "digested_at" timestamptz null;`);
    this.addSql(`alter table "notifications" add constraint "notifications_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on delete set null;`);
    this.addSql(`create index "notifications_unread_idx" on "notifications" ("recipient_id") where read_at is null and in_app;`);
    this.addSql(`create index "notifications_digest_idx" on "notifications" ("recipient_id") where email = 'digest' and digested_at is null;`);
    this.addSql(`alter table "notifications" add constraint "notifications_family_check" check ("family" in ('workflow', 'mentions', 'comments', 'sharing', 'imports', 'reminders', 'messages'));`);
    this.addSql(`alter table "notifications" add constraint "notifications_email_check" check ("email" in ('off', 'instant', 'digest'));`);

    this.addSql(`alter table "reminders" drop constraint "reminders_audience_check";`);
    this.addSql(`alter table "reminders" drop constraint "reminders_schedule_check";`);
    this.addSql(`alter table "reminders" add "local_date" date null, add "local_time" varchar(5) null, add "data" jsonb null, add "updated_at" timestamptz not null default now();`);
    // Both columns only needed a value for rows written before them.
    this.addSql(`alter table "reminders" alter column "updated_at" drop default;`);
    this.addSql(`alter table "notifications" alter column "family" drop default;`);
    this.addSql(`create index "reminders_budget_idx" on "reminders" ("budget_id");`);
    this.addSql(`create unique index "reminders_automatic_budget_unique" on "reminders" ("budget_id") where automatic;`);
    this.addSql(`alter table "reminders" add constraint "reminders_audience_check" check ("audience" in ('self', 'collaborators', 'approvers'));`);
    this.addSql(`alter table "reminders" add constraint "reminders_schedule_check" check ("schedule" in ('once', 'daily', 'weekly', 'monthly', 'before_target', 'approval'));`);

    this.addSql(`alter table "notification_preferences" add constraint "notification_preferences_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "notification_preferences" add constraint "notification_preferences_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "notification_preferences" add constraint "notification_preferences_family_check" check ("family" in ('workflow', 'mentions', 'comments', 'sharing', 'imports', 'reminders', 'messages'));`);
    this.addSql(`alter table "notification_preferences" add constraint "notification_preferences_email_check" check ("email" in ('off', 'instant', 'digest'));`);

    this.addSql(`alter table "notification_digests" add constraint "notification_digests_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "notification_digests" add constraint "notification_digests_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);

    this.addSql(`alter table "dead_letters" add constraint "dead_letters_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "dead_letters" add constraint "dead_letters_retried_by_id_foreign" foreign key ("retried_by_id") references "users" ("id") on delete set null;`);

    this.addSql(`alter table "reminder_occurrences" add constraint "reminder_occurrences_reminder_id_foreign" foreign key ("reminder_id") references "reminders" ("id") on delete cascade;`);
    this.addSql(`alter table "reminder_occurrences" add constraint "reminder_occurrences_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "notification_preferences" cascade;`);
    this.addSql(`drop table if exists "notification_digests" cascade;`);
    this.addSql(`drop table if exists "dead_letters" cascade;`);
    this.addSql(`drop table if exists "reminder_occurrences" cascade;`);

    this.addSql(`alter table "notifications" drop constraint "notifications_actor_id_foreign";`);

    this.addSql(`drop index "notifications_unread_idx";`);
    this.addSql(`drop index "notifications_digest_idx";`);
    this.addSql(`alter table "notifications" drop constraint "notifications_family_check";`);
    this.addSql(`alter table "notifications" drop constraint "notifications_email_check";`);
    this.addSql(`alter table "notifications" drop column "family", drop column "actor_id", drop column "in_app", drop column "email", drop column "digested_at";`);

    this.addSql(`drop index "outbox_events_unpublished_idx";`);
    this.addSql(`drop trigger if exists "outbox_events_notify" on "outbox_events";`);
    this.addSql(`drop function if exists "outbox_events_outbox_events_notify_fn"();`);
    this.addSql(`alter table "outbox_events" drop column "seq";`);
    this.addSql(`create index "outbox_events_unpublished_idx" on "outbox_events" ("created_at") where published_at IS NULL;`);

    this.addSql(`drop index "reminders_budget_idx";`);
    this.addSql(`drop index "reminders_automatic_budget_unique";`);
    this.addSql(`alter table "reminders" drop constraint "reminders_schedule_check";`);
    this.addSql(`alter table "reminders" drop constraint "reminders_audience_check";`);
    this.addSql(`alter table "reminders" drop column "local_date", drop column "local_time", drop column "data", drop column "updated_at";`);
    this.addSql(`alter table "reminders" add constraint "reminders_schedule_check" check ("schedule" in ('once', 'daily', 'weekly', 'monthly', 'before_target'));`);
    this.addSql(`alter table "reminders" add constraint "reminders_audience_check" check ("audience" in ('self', 'collaborators'));`);
  }

}
