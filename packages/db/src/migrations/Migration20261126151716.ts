import { Migration } from '@mikro-orm/migrations';

export class Migration20261126151716 extends Migration {

  override name = 'Migration20261126151716';

  override up(): void | Promise<void> {
    this.addSql(`create table "api_tokens" ("id" uuid not null, "org_id" uuid not null, "user_id" uuid not null, "name" varchar(100) not null, "scope" text not null, "hash" varchar(64) not null, "prefix" varchar(16) not null, "expires_at" timestamptz null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, "revoked_by_id" uuid null, "created_by_id" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "api_tokens" add constraint "api_tokens_hash_unique" unique ("hash");`);
    this.addSql(`create index "api_tokens_user_idx" on "api_tokens" ("user_id");`);
    this.addSql(`create index "api_tokens_org_created_idx" on "api_tokens" ("org_id", "created_at");`);

    this.addSql(`alter table "audit_events" add "token_id" uuid null;`);
    this.addSql(`alter table "audit_events" add constraint "audit_events_token_id_foreign" foreign key ("token_id") references "api_tokens" ("id") on delete set null;`);

    this.addSql(`alter table "api_tokens" add constraint "api_tokens_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
    this.addSql(`alter table "api_tokens" add constraint "api_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "api_tokens" add constraint "api_tokens_revoked_by_id_foreign" foreign key ("revoked_by_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "api_tokens" add constraint "api_tokens_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "api_tokens" add constraint "api_tokens_scope_check" check ("scope" in ('read', 'write'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "audit_events" drop constraint "audit_events_token_id_foreign";`);

    this.addSql(`drop table if exists "api_tokens" cascade;`);

    this.addSql(`alter table "audit_events" drop column "token_id";`);
  }

}
