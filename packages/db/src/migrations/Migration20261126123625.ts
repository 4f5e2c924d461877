import { Migration } from '@mikro-orm/migrations';

export class Migration20261126123625 extends Migration {

  override name = 'Migration20261126123625';

  override up(): void | Promise<void> {
    this.addSql(`create table "delegations" ("id" uuid not null, "org_id" uuid not null, "approver_id" uuid not null, "delegate_id" uuid not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "created_by_id" uuid not null, "created_at" timestamptz not null, "revoked_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "delegations_delegate_idx" on "delegations" ("delegate_id") where revoked_at is null;`);
    this.addSql(`create index "delegations_approver_idx" on "delegations" ("approver_id");`);

    this.addSql(`create table "user_accountants" ("user_id" uuid not null, "accountant_id" uuid not null, "org_id" uuid not null, "assigned_by_id" uuid null, "assigned_at" timestamptz not null, primary key ("user_id", "accountant_id"));`);
    this.addSql(`create index "user_accountants_accountant_idx" on "user_accountants" ("accountant_id");`);

    this.addSql(`alter table "budgets" add "state_changed_at" timestamptz null;`);

    this.addSql(`create unique index "grants_live_subject_grantee_unique" on "grants" (coalesce(goal_id, budget_id, forecast_id), grantee_id) where revoked_at is null;`);

    this.addSql(`alter table "budget_versions" add "submitted_by_id" uuid null, add "approved_by_id" uuid null;`);
    this.addSql(`alter table "budget_versions" add constraint "budget_versions_submitted_by_id_foreign" foreign key ("submitted_by_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "budget_versions" add constraint "budget_versions_approved_by_id_foreign" foreign key ("approved_by_id") references "users" ("id") on delete set null;`);

    this.addSql(`alter table "budget_log" add "on_behalf_of_id" uuid null;`);
    this.addSql(`alter table "budget_log" add constraint "budget_log_on_behalf_of_id_foreign" foreign key ("on_behalf_of_id") references "users" ("id") on delete restrict;`);

    this.addSql(`alter table "workflow_transitions" add "action" varchar(40) not null, add "on_behalf_of_id" uuid null;`);
    this.addSql(`alter table "workflow_transitions" add constraint "workflow_transitions_on_behalf_of_id_foreign" foreign key ("on_behalf_of_id") references "users" ("id") on delete restrict;`);
    this.addSql(`create index "workflow_transitions_version_idx" on "workflow_transitions" ("budget_version_id");`);

    this.addSql(`alter table "delegations" add constraint "delegations_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "delegations" add constraint "delegations_approver_id_foreign" foreign key ("approver_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "delegations" add constraint "delegations_delegate_id_foreign" foreign key ("delegate_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "delegations" add constraint "delegations_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on delete restrict;`);
    this.addSql(`alter table "delegations" add constraint "delegations_period_order" check (ends_at > starts_at);`);
    this.addSql(`alter table "delegations" add constraint "delegations_not_self" check (approver_id <> delegate_id);`);

    this.addSql(`alter table "user_accountants" add constraint "user_accountants_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "user_accountants" add constraint "user_accountants_accountant_id_foreign" foreign key ("accountant_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "user_accountants" add constraint "user_accountants_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "user_accountants" add constraint "user_accountants_assigned_by_id_foreign" foreign key ("assigned_by_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "user_accountants" add constraint "user_accountants_not_self" check (user_id <> accountant_id);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "delegations" cascade;`);
    this.addSql(`drop table if exists "user_accountants" cascade;`);

    this.addSql(`alter table "budget_log" drop constraint "budget_log_on_behalf_of_id_foreign";`);

    this.addSql(`alter table "budget_versions" drop constraint "budget_versions_submitted_by_id_foreign";`);
    this.addSql(`alter table "budget_versions" drop constraint "budget_versions_approved_by_id_foreign";`);

    this.addSql(`alter table "workflow_transitions" drop constraint "workflow_transitions_on_behalf_of_id_foreign";`);

    this.addSql(`alter table "budget_log" drop column "on_behalf_of_id";`);

    this.addSql(`alter table "budget_versions" drop column "submitted_by_id", drop column "approved_by_id";`);

    this.addSql(`alter table "budgets" drop column "state_changed_at";`);

    this.addSql(`drop index "grants_live_subject_grantee_unique";`);

    this.addSql(`drop index "workflow_transitions_version_idx";`);
    this.addSql(`alter table "workflow_transitions" drop column "action", drop column "on_behalf_of_id";`);
  }

}
