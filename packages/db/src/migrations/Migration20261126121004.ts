import { Migration } from '@mikro-orm/migrations';

export class Migration20261126121004 extends Migration {

  override name = 'Migration20261126121004';

  override up(): void | Promise<void> {
    this.addSql(`alter table "users" add "source_import_id" uuid null;`);
    this.addSql(`alter table "users" add constraint "users_source_import_id_foreign" foreign key ("source_import_id") references "imports" ("id") on delete set null;`);
    this.addSql(`create index "users_org_created_idx" on "users" ("org_id", "created_at");`);
    this.addSql(`create index "users_org_last_login_idx" on "users" ("org_id", "last_login_at");`);
    this.addSql(`create index "users_source_import_idx" on "users" ("source_import_id") where source_import_id is not null;`);

    this.addSql(`alter table "password_reset_tokens" add "superseded_at" timestamptz null;`);

    this.addSql(`alter table "mail_messages" add "link_token_id" varchar(64) null;`);

    this.addSql(`alter table "imports" add "problem_rows" int not null default 0, add "existing_rows" int not null default 0, add "created_rows" int not null default 0, add "updated_rows" int not null default 0, add "skipped_rows" int not null default 0;`);

    // Written by hand: mails captured before this version still carry their link, so the outbox can
    // tell their state too; a link retired by a newer one was retired in the same instant the newer
    // one was made.
    this.addSql(`update "mail_messages" set "link_token_id" = encode(sha256(convert_to(substring("text" from '[?&]token=([A-Za-z0-9]+)'), 'UTF8')), 'hex') where "text" ~ '[?&]token=[A-Za-z0-9]+';`);
    this.addSql(`update "password_reset_tokens" t set "superseded_at" = t."used_at" where t."used_at" is not null and exists (select 1 from "password_reset_tokens" n where n."user_id" = t."user_id" and n."purpose" = t."purpose" and n."id" <> t."id" and n."created_at" = t."used_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "users" drop constraint "users_source_import_id_foreign";`);

    this.addSql(`alter table "imports" drop column "problem_rows", drop column "existing_rows", drop column "created_rows", drop column "updated_rows", drop column "skipped_rows";`);

    this.addSql(`alter table "mail_messages" drop column "link_token_id";`);

    this.addSql(`alter table "password_reset_tokens" drop column "superseded_at";`);

    this.addSql(`drop index "users_org_created_idx";`);
    this.addSql(`drop index "users_org_last_login_idx";`);
    this.addSql(`drop index "users_source_import_idx";`);
    this.addSql(`alter table "users" drop column "source_import_id";`);
  }

}
