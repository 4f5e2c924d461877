import { Migration } from '@mikro-orm/migrations';

export class Migration20261126151808 extends Migration {

  override name = 'Migration20261126151808';

  override up(): void | Promise<void> {
    this.addSql(`create table "import_lines" ("import_id" uuid not null, "position" int not null, "org_id" uuid not null, "row" int not null, "category" varchar(200) not null, "description" varchar(500) null, "notes" text null, "amounts" jsonb not null, primary key ("import_id", "position"));`);

    this.addSql(`create table "import_files" ("import_id" uuid not null, "org_id" uuid not null, "bytes" bytea not null, "size" int not null, "sha256" varchar(64) not null, "created_at" timestamptz not null, primary key ("import_id"));`);

    this.addSql(`alter table "imports" drop constraint "imports_status_check";`);
    this.addSql(`alter table "imports" add "forecast_id" uuid null, add "target" jsonb null, add "options" jsonb null, add "source" jsonb null, add "source_token" text null;`);
    this.addSql(`alter table "imports" add constraint "imports_forecast_id_foreign" foreign key ("forecast_id") references "forecasts" ("id") on delete set null;`);
    this.addSql(`alter table "imports" add constraint "imports_status_check" check ("status" in ('validated', 'queued', 'running', 'parsing', 'ready', 'importing', 'done', 'failed', 'cancelled'));`);

    this.addSql(`alter table "import_lines" add constraint "import_lines_import_id_foreign" foreign key ("import_id") references "imports" ("id") on delete cascade;`);
    this.addSql(`alter table "import_lines" add constraint "import_lines_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);

    this.addSql(`alter table "import_files" add constraint "import_files_import_id_foreign" foreign key ("import_id") references "imports" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "import_files" add constraint "import_files_org_id_foreign" foreign key ("org_id") references "organisations" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "import_lines" cascade;`);
    this.addSql(`drop table if exists "import_files" cascade;`);

    this.addSql(`alter table "imports" drop constraint "imports_forecast_id_foreign";`);

    this.addSql(`alter table "imports" drop constraint "imports_status_check";`);
    this.addSql(`alter table "imports" drop column "forecast_id", drop column "target", drop column "options", drop column "source", drop column "source_token";`);
    this.addSql(`alter table "imports" add constraint "imports_status_check" check ("status" in ('validated', 'queued', 'running', 'done', 'failed'));`);
  }

}
