import { Migration } from '@mikro-orm/migrations';

export class Migration20261125003335 extends Migration {

  override name = 'Migration20261125003335';

  override up(): void | Promise<void> {
    // Trigram matching for the user search (users_search_trgm_idx); ships with PostgreSQL's contrib.
    this.addSql(`create extension if not exists pg_trgm;`);

    this.addSql(`create table "organisations" ("id" uuid not null, "name" varchar(200) not null, "created_at" timestamptz not null, primary key ("id"));`);

    this.addSql(`create table "outbox_events" ("id" uuid not null, "org_id" uuid not null, "topic" varchar(100) not null, "key" varchar(100) not null, "type" varchar(100) not null, "payload" jsonb not null, "trace_id" varchar(64) null, "created_at" timestamptz not null, "published_at" timestamptz null, "attempts" int not null default 0, primary key ("id"));`);
    this.addSql(`create index "outbox_events_unpublished_idx" on "outbox_events" ("created_at") where published_at is null;`);

    this.addSql(`create table "roles" ("id" uuid not null, "org_id" uuid not null, "key" text not null, "name" varchar(100) not null, primary key ("id"));`);
    this.addSql(`alter table "roles" add constraint "roles_org_key_unique" unique ("org_id", "key");`);

    this.addSql(`create table "users" ("id" uuid not null, "org_id" uuid not null, "email" varchar(320) not null, "name" varchar(200) not null, "password_hash" varchar(255) null, "status" text not null default 'invited', "failed_login_count" int not null default 0, "locked_at" timestamptz null, "supervisor_id" uuid null, "time_zone" varchar(64) not null default 'UTC', "locale" varchar(35) not null default 'en-US', "password_changed_at" timestamptz null, "last_login_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "users_org_name_idx" on "users" ("org_id", "name");`);
    this.addSql(`create index "users_supervisor_idx" on "users" ("supervisor_id");`);
    this.addSql(`alter table "users" add constraint "users_org_email_unique" unique ("org_id", "email");`);
    this.addSql(`create index "users_search_trgm_idx" on "users" using gin ((email || ' ' || lower(name)) gin_trgm_ops);`);

    this.addSql(`create table "sessions" ("id" varchar(64) not null, "org_id" uuid not null, "user_id" uuid not null, "expires_at" timestamptz not null, "created_at" timestamptz not null, "ip" varchar(64) null, "user_agent" varchar(512) null, primary key ("id"));`);
    this.addSql(`create index "sessions_user_idx" on "sessions" ("user_id");`);
    this.addSql(`create index "sessions_expires_idx" on "sessions" ("expires_at");`);

    this.addSql(`create table "password_reset_tokens" ("id" varchar(64) not null, "org_id" uuid not null, "user_id" uuid not null, "purpose" text not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "password_reset_tokens_user_idx" on "password_reset_tokens" ("user_id");`);

    this.addSql(`create table "notifications" ("id" uuid not null, "org_id" uuid not null, "recipient_id" uuid not null, "event_id" uuid not null, "kind" varchar(60) not null, "title" varchar(300) not null, "body" text null, "link" varchar(500) null, "read_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "notifications_recipient_created_idx" on "notifications" ("recipient_id", "created_at");`);
    this.addSql(`alter table "notifications" add constraint "notifications_recipient_event_unique" unique ("recipient_id", "event_id");`);

    this.addSql(`create table "mail_messages" ("id" uuid not null, "org_id" uuid not null, "to_address" varchar(320) not null, "to_user_id" uuid null, "kind" varchar(40) not null, "subject" varchar(300) not null, "text" text not null, "html" text not null, "status" text not null, "attempts" int not null default 0, "last_error" text null, "created_at" timestamptz not null, "sent_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "mail_messages_org_created_idx" on "mail_messages" ("org_id", "created_at");`);
    this.addSql(`create index "mail_messages_to_trgm_idx" on "mail_messages" using gin ("to_address" gin_trgm_ops);`);
    this.addSql(`create index "mail_messages_queued_idx" on "mail_messages" ("created_at") where status = 'queued';`);

    this.addSql(`create table "login_attempts" ("id" bigserial primary key, "org_id" uuid not null, "email" varchar(320) not null, "user_id" uuid null, "ip" varchar(64) null, "success" boolean not null, "reason" varchar(40) not null, "at" timestamptz not null);`);
    this.addSql(`create index "login_attempts_email_at_idx" on "login_attempts" ("org_id", "email", "at");`);

    this.addSql(`create table "goals" ("id" uuid not null, "org_id" uuid not null, "owner_id" uuid not null, "name" varchar(200) not null, "description" text null, "category" varchar(100) null, "target_amount_minor" bigint not null, "currency" varchar(3) not null, "target_date" date null, "status" text not null default 'active', "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "goals_owner_idx" on "goals" ("org_id", "owner_id", "status");`);

    this.addSql(`create table "goals_log" ("id" bigserial primary key, "org_id" uuid not null, "goal_id" uuid not null, "actor_id" uuid not null, "action" varchar(40) not null, "field" varchar(60) null, "old_value" jsonb null, "new_value" jsonb null, "at" timestamptz not null);`);
    this.addSql(`create index "goals_log_goal_at_idx" on "goals_log" ("goal_id", "at");`);

    this.addSql(`create table "budgets" ("id" uuid not null, "org_id" uuid not null, "goal_id" uuid not null, "owner_id" uuid not null, "name" varchar(200) not null, "currency" varchar(3) not null, "period_start" date not null, "period_end" date not null, "granularity" text not null default 'monthly', "state" text not null default 'draft', "current_version_number" int not null default 1, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "budgets_goal_idx" on "budgets" ("goal_id");`);
    this.addSql(`create index "budgets_owner_idx" on "budgets" ("org_id", "owner_id");`);
    this.addSql(`create index "budgets_state_idx" on "budgets" ("org_id", "state");`);

    this.addSql(`create table "imports" ("id" uuid not null, "org_id" uuid not null, "kind" text not null, "created_by_id" uuid not null, "status" text not null, "file_name" varchar(255) not null, "content_type" varchar(100) null, "content" text null, "total_rows" int not null default 0, "processed_rows" int not null default 0, "error_count" int not null default 0, "report" jsonb null, "error" text null, "budget_id" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "finished_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "imports_created_by_idx" on "imports" ("created_by_id", "created_at");`);
    this.addSql(`create index "imports_status_updated_idx" on "imports" ("kind", "status", "updated_at");`);

    this.addSql(`create table "forecasts" ("id" uuid not null, "org_id" uuid not null, "budget_id" uuid not null, "owner_id" uuid not null, "name" varchar(200) not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "forecasts_budget_idx" on "forecasts" ("budget_id");`);

    this.addSql(`create table "reminders" ("id" uuid not null, "org_id" uuid not null, "owner_id" uuid not null, "goal_id" uuid null, "budget_id" uuid null, "forecast_id" uuid null, "message" text not null, "schedule" text not null, "audience" text not null default 'self', "starts_at" timestamptz not null, "days_before" int null, "automatic" boolean not null default false, "paused_at" timestamptz null, "next_fire_at" timestamptz null, "fired_count" int not null default 0, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "reminders_due_idx" on "reminders" ("next_fire_at") where paused_at is null;`);

    this.addSql(`create table "grants" ("id" uuid not null, "org_id" uuid not null, "goal_id" uuid null, "budget_id" uuid null, "forecast_id" uuid null, "grantee_id" uuid not null, "level" text not null, "granted_by_id" uuid not null, "expires_at" timestamptz null, "revoked_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "grants_grantee_idx" on "grants" ("grantee_id");`);
    this.addSql(`create index "grants_goal_idx" on "grants" ("goal_id");`);
    this.addSql(`create index "grants_budget_idx" on "grants" ("budget_id");`);
    this.addSql(`create index "grants_forecast_idx" on "grants" ("forecast_id");`);

    this.addSql(`create table "forecast_lines" ("id" uuid not null, "org_id" uuid not null, "forecast_id" uuid not null, "budget_line_key" uuid null, "position" int not null, "category" varchar(200) not null, "description" varchar(500) null, primary key ("id"));`);
    this.addSql(`create index "forecast_lines_forecast_position_idx" on "forecast_lines" ("forecast_id", "position");`);

    this.addSql(`create table "forecast_amounts" ("line_id" uuid not null, "period" date not null, "org_id" uuid not null, "forecast_minor" bigint null, "actual_minor" bigint null, primary key ("line_id", "period"));`);

    this.addSql(`create table "comment_threads" ("id" uuid not null, "org_id" uuid not null, "budget_id" uuid null, "forecast_id" uuid null, "line_key" uuid not null, "period" date null, "version_number" int null, "status" text not null default 'open', "created_by_id" uuid not null, "created_at" timestamptz not null, "resolved_by_id" uuid null, "resolved_at" timestamptz null, "carried_from_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "comment_threads_budget_idx" on "comment_threads" ("budget_id", "status");`);
    this.addSql(`create index "comment_threads_forecast_idx" on "comment_threads" ("forecast_id", "status");`);

    this.addSql(`create table "comments" ("id" uuid not null, "org_id" uuid not null, "thread_id" uuid not null, "author_id" uuid not null, "body" text not null, "mentions" uuid[] not null default '{}', "created_at" timestamptz not null, "edited_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "comments_thread_idx" on "comments" ("thread_id", "created_at");`);
    this.addSql(`create index "comments_mentions_idx" on "comments" using gin ("mentions");`);

    this.addSql(`create table "budget_versions" ("id" uuid not null, "org_id" uuid not null, "budget_id" uuid not null, "number" int not null, "state" text not null default 'draft', "copied_from_id" uuid null, "locked_at" timestamptz null, "created_by_id" uuid not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "budget_versions" add constraint "budget_versions_budget_number_unique" unique ("budget_id", "number");`);

    this.addSql(`create table "budget_lines" ("id" uuid not null, "org_id" uuid not null, "version_id" uuid not null, "key" uuid not null, "position" int not null, "category" varchar(200) not null, "description" varchar(500) null, "notes" text null, primary key ("id"));`);
    this.addSql(`create index "budget_lines_version_position_idx" on "budget_lines" ("version_id", "position");`);
    this.addSql(`alter table "budget_lines" add constraint "budget_lines_version_key_unique" unique ("version_id", "key");`);

    this.addSql(`create table "budget_amounts" ("line_id" uuid not null, "period" date not null, "org_id" uuid not null, "amount_minor" bigint not null, primary key ("line_id", "period"));`);

    this.addSql(`create table "budget_log" ("id" bigserial primary key, "org_id" uuid not null, "budget_id" uuid not null, "version_number" int null, "line_key" uuid null, "period" date null, "actor_id" uuid not null, "action" varchar(40) not null, "field" varchar(60) null, "old_value" jsonb null, "new_value" jsonb null, "reason" text null, "at" timestamptz not null);`);
    this.addSql(`create index "budget_log_budget_at_idx" on "budget_log" ("budget_id", "at");`);
    this.addSql(`create index "budget_log_cell_idx" on "budget_log" ("budget_id", "line_key", "period");`);

    this.addSql(`create table "audit_events" ("id" bigserial primary key, "org_id" uuid not null, "actor_id" uuid null, "action" varchar(60) not null, "subject_user_id" uuid null, "data" jsonb null, "at" timestamptz not null);`);
    this.addSql(`create index "audit_events_subject_idx" on "audit_events" ("subject_user_id", "at");`);
    this.addSql(`create index "audit_events_org_at_idx" on "audit_events" ("org_id", "at");`);

    this.addSql(`create table "user_roles" ("user_id" uuid not null, "role_id" uuid not null, "org_id" uuid not null, "granted_by_id" uuid null, "granted_at" timestamptz not null, primary key ("user_id", "role_id"));`);
    this.addSql(`create index "user_roles_role_idx" on "user_roles" ("role_id");`);

    this.addSql(`create table "workflow_transitions" ("id" uuid not null, "org_id" uuid not null, "budget_id" uuid not null, "budget_version_id" uuid not null, "from_state" text not null, "to_state" text not null, "actor_id" uuid not null, "reason" text null, "at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "workflow_transitions_budget_at_idx" on "workflow_transitions" ("budget_id", "at");`);

    this.addSql(`alter table "outbox_events" add constraint "outbox_events_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);

    this.addSql(`alter table "roles" add constraint "roles_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "roles" add constraint "roles_key_check" check ("key" in ('admin', 'user', 'accountant', 'supervisor'));`);

    this.addSql(`alter table "users" add constraint "users_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "users" add constraint "users_supervisor_id_foreign" foreign key ("supervisor_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "users" add constraint "users_status_check" check ("status" in ('invited', 'active', 'deactivated'));`);

    this.addSql(`alter table "sessions" add constraint "sessions_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "sessions" add constraint "sessions_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "password_reset_tokens" add constraint "password_reset_tokens_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "password_reset_tokens" add constraint "password_reset_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "password_reset_tokens" add constraint "password_reset_tokens_purpose_check" check ("purpose" in ('reset', 'invite'));`);

    this.addSql(`alter table "notifications" add constraint "notifications_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "notifications" add constraint "notifications_recipient_id_foreign" foreign key ("recipient_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "mail_messages" add constraint "mail_messages_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "mail_messages" add constraint "mail_messages_to_user_id_foreign" foreign key ("to_user_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "mail_messages" add constraint "mail_messages_status_check" check ("status" in ('captured', 'queued', 'sent', 'failed'));`);

    this.addSql(`alter table "login_attempts" add constraint "login_attempts_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "login_attempts" add constraint "login_attempts_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete set null;`);

    this.addSql(`alter table "goals" add constraint "goals_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "goals" add constraint "goals_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on delete restrict;`);
    this.addSql(`alter table "goals" add constraint "goals_target_nonnegative" check (target_amount_minor >= 0);`);
    this.addSql(`alter table "goals" add constraint "goals_status_check" check ("status" in ('active', 'archived'));`);

    this.addSql(`alter table "goals_log" add constraint "goals_log_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "goals_log" add constraint "goals_log_goal_id_foreign" foreign key ("goal_id") references "goals" ("id") on delete cascade;`);
    this.addSql(`alter table "goals_log" add constraint "goals_log_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on delete restrict;`);

    this.addSql(`alter table "budgets" add constraint "budgets_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "budgets" add constraint "budgets_goal_id_foreign" foreign key ("goal_id") references "goals" ("id") on delete restrict;`);
    this.addSql(`alter table "budgets" add constraint "budgets_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on delete restrict;`);
    this.addSql(`alter table "budgets" add constraint "budgets_period_order" check (period_end >= period_start);`);
    this.addSql(`alter table "budgets" add constraint "budgets_granularity_check" check ("granularity" in ('monthly', 'quarterly'));`);
    this.addSql(`alter table "budgets" add constraint "budgets_state_check" check ("state" in ('draft', 'submitted', 'in_review', 'approved', 'final_approved', 'changes_requested', 'cancelled'));`);

    this.addSql(`alter table "imports" add constraint "imports_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "imports" add constraint "imports_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on delete restrict;`);
    this.addSql(`alter table "imports" add constraint "imports_budget_id_foreign" foreign key ("budget_id") references "budgets" ("id") on delete set null;`);
    this.addSql(`alter table "imports" add constraint "imports_kind_check" check ("kind" in ('users', 'budget', 'forecast'));`);
    this.addSql(`alter table "imports" add constraint "imports_status_check" check ("status" in ('validated', 'queued', 'running', 'done', 'failed'));`);

    this.addSql(`alter table "forecasts" add constraint "forecasts_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "forecasts" add constraint "forecasts_budget_id_foreign" foreign key ("budget_id") references "budgets" ("id") on delete cascade;`);
    this.addSql(`alter table "forecasts" add constraint "forecasts_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on delete restrict;`);

    this.addSql(`alter table "reminders" add constraint "reminders_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "reminders" add constraint "reminders_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "reminders" add constraint "reminders_goal_id_foreign" foreign key ("goal_id") references "goals" ("id") on delete cascade;`);
    this.addSql(`alter table "reminders" add constraint "reminders_budget_id_foreign" foreign key ("budget_id") references "budgets" ("id") on delete cascade;`);
    this.addSql(`alter table "reminders" add constraint "reminders_forecast_id_foreign" foreign key ("forecast_id") references "forecasts" ("id") on delete cascade;`);
    this.addSql(`alter table "reminders" add constraint "reminders_one_subject" check (num_nonnulls(goal_id, budget_id, forecast_id) = 1);`);
    this.addSql(`alter table "reminders" add constraint "reminders_schedule_check" check ("schedule" in ('once', 'daily', 'weekly', 'monthly', 'before_target'));`);
    this.addSql(`alter table "reminders" add constraint "reminders_audience_check" check ("audience" in ('self', 'collaborators'));`);

    this.addSql(`alter table "grants" add constraint "grants_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "grants" add constraint "grants_goal_id_foreign" foreign key ("goal_id") references "goals" ("id") on delete cascade;`);
    this.addSql(`alter table "grants" add constraint "grants_budget_id_foreign" foreign key ("budget_id") references "budgets" ("id") on delete cascade;`);
    this.addSql(`alter table "grants" add constraint "grants_forecast_id_foreign" foreign key ("forecast_id") references "forecasts" ("id") on delete cascade;`);
    this.addSql(`alter table "grants" add constraint "grants_grantee_id_foreign" foreign key ("grantee_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "grants" add constraint "grants_granted_by_id_foreign" foreign key ("granted_by_id") references "users" ("id") on delete restrict;`);
    this.addSql(`alter table "grants" add constraint "grants_one_subject" check (num_nonnulls(goal_id, budget_id, forecast_id) = 1);`);
    this.addSql(`alter table "grants" add constraint "grants_level_check" check ("level" in ('viewer', 'commenter', 'editor', 'approver'));`);

    this.addSql(`alter table "forecast_lines" add constraint "forecast_lines_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "forecast_lines" add constraint "forecast_lines_forecast_id_foreign" foreign key ("forecast_id") references "forecasts" ("id") on delete cascade;`);

    this.addSql(`alter table "forecast_amounts" add constraint "forecast_amounts_line_id_foreign" foreign key ("line_id") references "forecast_lines" ("id") on delete cascade;`);
    this.addSql(`alter table "forecast_amounts" add constraint "forecast_amounts_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);

    this.addSql(`alter table "comment_threads" add constraint "comment_threads_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "comment_threads" add constraint "comment_threads_budget_id_foreign" foreign key ("budget_id") references "budgets" ("id") on delete cascade;`);
    this.addSql(`alter table "comment_threads" add constraint "comment_threads_forecast_id_foreign" foreign key ("forecast_id") references "forecasts" ("id") on delete cascade;`);
    this.addSql(`alter table "comment_threads" add constraint "comment_threads_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on delete restrict;`);
    this.addSql(`alter table "comment_threads" add constraint "comment_threads_resolved_by_id_foreign" foreign key ("resolved_by_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "comment_threads" add constraint "comment_threads_carried_from_id_foreign" foreign key ("carried_from_id") references "comment_threads" ("id") on delete set null;`);
    this.addSql(`alter table "comment_threads" add constraint "comment_threads_one_subject" check (num_nonnulls(budget_id, forecast_id) = 1);`);
    this.addSql(`alter table "comment_threads" add constraint "comment_threads_status_check" check ("status" in ('open', 'resolved'));`);

    this.addSql(`alter table "comments" add constraint "comments_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "comments" add constraint "comments_thread_id_foreign" foreign key ("thread_id") references "comment_threads" ("id") on delete cascade;`);
    this.addSql(`alter table "comments" add constraint "comments_author_id_foreign" foreign key ("author_id") references "users" ("id") on delete restrict;`);

    this.addSql(`alter table "budget_versions" add constraint "budget_versions_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "budget_versions" add constraint "budget_versions_budget_id_foreign" foreign key ("budget_id") references "budgets" ("id") on delete cascade;`);
    this.addSql(`alter table "budget_versions" add constraint "budget_versions_copied_from_id_foreign" foreign key ("copied_from_id") references "budget_versions" ("id") on delete set null;`);
    this.addSql(`alter table "budget_versions" add constraint "budget_versions_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on delete restrict;`);
    this.addSql(`alter table "budget_versions" add constraint "budget_versions_state_check" check ("state" in ('draft', 'submitted', 'in_review', 'approved', 'final_approved', 'changes_requested', 'cancelled'));`);

    this.addSql(`alter table "budget_lines" add constraint "budget_lines_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "budget_lines" add constraint "budget_lines_version_id_foreign" foreign key ("version_id") references "budget_versions" ("id") on delete cascade;`);

    this.addSql(`alter table "budget_amounts" add constraint "budget_amounts_line_id_foreign" foreign key ("line_id") references "budget_lines" ("id") on delete cascade;`);
    this.addSql(`alter table "budget_amounts" add constraint "budget_amounts_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);

    this.addSql(`alter table "budget_log" add constraint "budget_log_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "budget_log" add constraint "budget_log_budget_id_foreign" foreign key ("budget_id") references "budgets" ("id") on delete cascade;`);
    this.addSql(`alter table "budget_log" add constraint "budget_log_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on delete restrict;`);

    this.addSql(`alter table "audit_events" add constraint "audit_events_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "audit_events" add constraint "audit_events_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "audit_events" add constraint "audit_events_subject_user_id_foreign" foreign key ("subject_user_id") references "users" ("id") on delete set null;`);

    this.addSql(`alter table "user_roles" add constraint "user_roles_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "user_roles" add constraint "user_roles_role_id_foreign" foreign key ("role_id") references "roles" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "user_roles" add constraint "user_roles_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "user_roles" add constraint "user_roles_granted_by_id_foreign" foreign key ("granted_by_id") references "users" ("id") on delete set null;`);

    this.addSql(`alter table "workflow_transitions" add constraint "workflow_transitions_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "workflow_transitions" add constraint "workflow_transitions_budget_id_foreign" foreign key ("budget_id") references "budgets" ("id") on delete cascade;`);
    this.addSql(`alter table "workflow_transitions" add constraint "workflow_transitions_budget_version_id_foreign" foreign key ("budget_version_id") references "budget_versions" ("id") on delete cascade;`);
    this.addSql(`alter table "workflow_transitions" add constraint "workflow_transitions_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on delete restrict;`);
    this.addSql(`alter table "workflow_transitions" add constraint "workflow_transitions_from_state_check" check ("from_state" in ('draft', 'submitted', 'in_review', 'approved', 'final_approved', 'changes_requested', 'cancelled'));`);
    this.addSql(`alter table "workflow_transitions" add constraint "workflow_transitions_to_state_check" check ("to_state" in ('draft', 'submitted', 'in_review', 'approved', 'final_approved', 'changes_requested', 'cancelled'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "outbox_events" drop constraint "outbox_events_org_id_foreign";`);
    this.addSql(`alter table "roles" drop constraint "roles_org_id_foreign";`);
    this.addSql(`alter table "users" drop constraint "users_org_id_foreign";`);
    this.addSql(`alter table "sessions" drop constraint "sessions_org_id_foreign";`);
    this.addSql(`alter table "password_reset_tokens" drop constraint "password_reset_tokens_org_id_foreign";`);
    this.addSql(`alter table "notifications" drop constraint "notifications_org_id_foreign";`);
    this.addSql(`alter table "mail_messages" drop constraint "mail_messages_org_id_foreign";`);
    this.addSql(`alter table "login_attempts" drop constraint "login_attempts_org_id_foreign";`);
    this.addSql(`alter table "goals" drop constraint "goals_org_id_foreign";`);
    this.addSql(`alter table "goals_log" drop constraint "goals_log_org_id_foreign";`);
    this.addSql(`alter table "budgets" drop constraint "budgets_org_id_foreign";`);
    this.addSql(`alter table "imports" drop constraint "imports_org_id_foreign";`);
    this.addSql(`alter table "forecasts" drop constraint "forecasts_org_id_foreign";`);
    this.addSql(`alter table "reminders" drop constraint "reminders_org_id_foreign";`);
    this.addSql(`alter table "grants" drop constraint "grants_org_id_foreign";`);
    this.addSql(`alter table "forecast_lines" drop constraint "forecast_lines_org_id_foreign";`);
    this.addSql(`alter table "forecast_amounts" drop constraint "forecast_amounts_org_id_foreign";`);
    this.addSql(`alter table "comment_threads" drop constraint "comment_threads_org_id_foreign";`);
    this.addSql(`alter table "comments" drop constraint "comments_org_id_foreign";`);
    this.addSql(`alter table "budget_versions" drop constraint "budget_versions_org_id_foreign";`);
    this.addSql(`alter table "budget_lines" drop constraint "budget_lines_org_id_foreign";`);
    this.addSql(`alter table "budget_amounts" drop constraint "budget_amounts_org_id_foreign";`);
    this.addSql(`alter table "budget_log" drop constraint "budget_log_org_id_foreign";`);
    this.addSql(`alter table "audit_events" drop constraint "audit_events_org_id_foreign";`);
    this.addSql(`alter table "user_roles" drop constraint "user_roles_org_id_foreign";`);
    this.addSql(`alter table "workflow_transitions" drop constraint "workflow_transitions_org_id_foreign";`);
    this.addSql(`alter table "user_roles" drop constraint "user_roles_role_id_foreign";`);
    this.addSql(`alter table "users" drop constraint "users_supervisor_id_foreign";`);
    this.addSql(`alter table "sessions" drop constraint "sessions_user_id_foreign";`);
    this.addSql(`alter table "password_reset_tokens" drop constraint "password_reset_tokens_user_id_foreign";`);
    this.addSql(`alter table "notifications" drop constraint "notifications_recipient_id_foreign";`);
    this.addSql(`alter table "mail_messages" drop constraint "mail_messages_to_user_id_foreign";`);
    this.addSql(`alter table "login_attempts" drop constraint "login_attempts_user_id_foreign";`);
    this.addSql(`alter table "goals" drop constraint "goals_owner_id_foreign";`);
    this.addSql(`alter table "goals_log" drop constraint "goals_log_actor_id_foreign";`);
    this.addSql(`alter table "budgets" drop constraint "budgets_owner_id_foreign";`);
    this.addSql(`alter table "imports" drop constraint "imports_created_by_id_foreign";`);
    this.addSql(`alter table "forecasts" drop constraint "forecasts_owner_id_foreign";`);
    this.addSql(`alter table "reminders" drop constraint "reminders_owner_id_foreign";`);
    this.addSql(`alter table "grants" drop constraint "grants_grantee_id_foreign";`);
    this.addSql(`alter table "grants" drop constraint "grants_granted_by_id_foreign";`);
    this.addSql(`alter table "comment_threads" drop constraint "comment_threads_created_by_id_foreign";`);
    this.addSql(`alter table "comment_threads" drop constraint "comment_threads_resolved_by_id_foreign";`);
    this.addSql(`alter table "comments" drop constraint "comments_author_id_foreign";`);
    this.addSql(`alter table "budget_versions" drop constraint "budget_versions_created_by_id_foreign";`);
    this.addSql(`alter table "budget_log" drop constraint "budget_log_actor_id_foreign";`);
    this.addSql(`alter table "audit_events" drop constraint "audit_events_actor_id_foreign";`);
    this.addSql(`alter table "audit_events" drop constraint "audit_events_subject_user_id_foreign";`);
    this.addSql(`alter table "user_roles" drop constraint "user_roles_user_id_foreign";`);
    this.addSql(`alter table "user_roles" drop constraint "user_roles_granted_by_id_foreign";`);
    this.addSql(`alter table "workflow_transitions" drop constraint "workflow_transitions_actor_id_foreign";`);
    this.addSql(`alter table "goals_log" drop constraint "goals_log_goal_id_foreign";`);
    this.addSql(`alter table "budgets" drop constraint "budgets_goal_id_foreign";`);
    this.addSql(`alter table "reminders" drop constraint "reminders_goal_id_foreign";`);
    this.addSql(`alter table "grants" drop constraint "grants_goal_id_foreign";`);
    this.addSql(`alter table "imports" drop constraint "imports_budget_id_foreign";`);
    this.addSql(`alter table "forecasts" drop constraint "forecasts_budget_id_foreign";`);
    this.addSql(`alter table "reminders" drop constraint "reminders_budget_id_foreign";`);
    this.addSql(`alter table "grants" drop constraint "grants_budget_id_foreign";`);
    this.addSql(`alter table "comment_threads" drop constraint "comment_threads_budget_id_foreign";`);
    this.addSql(`alter table "budget_versions" drop constraint "budget_versions_budget_id_foreign";`);
    this.addSql(`alter table "budget_log" drop constraint "budget_log_budget_id_foreign";`);
    this.addSql(`alter table "workflow_transitions" drop constraint "workflow_transitions_budget_id_foreign";`);
    this.addSql(`alter table "reminders" drop constraint "reminders_forecast_id_foreign";`);
    this.addSql(`alter table "grants" drop constraint "grants_forecast_id_foreign";`);
    this.addSql(`alter table "forecast_lines" drop constraint "forecast_lines_forecast_id_foreign";`);
    this.addSql(`alter table "comment_threads" drop constraint "comment_threads_forecast_id_foreign";`);
    this.addSql(`alter table "forecast_amounts" drop constraint "forecast_amounts_line_id_foreign";`);
    this.addSql(`alter table "comment_threads" drop constraint "comment_threads_carried_from_id_foreign";`);
    this.addSql(`alter table "comments" drop constraint "comments_thread_id_foreign";`);
    this.addSql(`alter table "budget_versions" drop constraint "budget_versions_copied_from_id_foreign";`);
    this.addSql(`alter table "budget_lines" drop constraint "budget_lines_version_id_foreign";`);
    this.addSql(`alter table "workflow_transitions" drop constraint "workflow_transitions_budget_version_id_foreign";`);
    this.addSql(`alter table "budget_amounts" drop constraint "budget_amounts_line_id_foreign";`);

    this.addSql(`drop table if exists "organisations" cascade;`);
    this.addSql(`drop table if exists "outbox_events" cascade;`);
    this.addSql(`drop table if exists "roles" cascade;`);
    this.addSql(`drop table if exists "users" cascade;`);
    this.addSql(`drop table if exists "sessions" cascade;`);
    this.addSql(`drop table if exists "password_reset_tokens" cascade;`);
    this.addSql(`drop table if exists "notifications" cascade;`);
    this.addSql(`drop table if exists "mail_messages" cascade;`);
    this.addSql(`drop table if exists "login_attempts" cascade;`);
    this.addSql(`drop table if exists "goals" cascade;`);
    this.addSql(`drop table if exists "goals_log" cascade;`);
    this.addSql(`drop table if exists "budgets" cascade;`);
    this.addSql(`drop table if exists "imports" cascade;`);
    this.addSql(`drop table if exists "forecasts" cascade;`);
    this.addSql(`drop table if exists "reminders" cascade;`);
    this.addSql(`drop table if exists "grants" cascade;`);
    this.addSql(`drop table if exists "forecast_lines" cascade;`);
    this.addSql(`drop table if exists "forecast_amounts" cascade;`);
    this.addSql(`drop table if exists "comment_threads" cascade;`);
    this.addSql(`drop table if exists "comments" cascade;`);
    this.addSql(`drop table if exists "budget_versions" cascade;`);
    this.addSql(`drop table if exists "budget_lines" cascade;`);
    this.addSql(`drop table if exists "budget_amounts" cascade;`);
    this.addSql(`drop table if exists "budget_log" cascade;`);
    this.addSql(`drop table if exists "audit_events" cascade;`);
    this.addSql(`drop table if exists "user_roles" cascade;`);
    this.addSql(`drop table if exists "workflow_transitions" cascade;`);
  }

}
