import { Migration } from '@mikro-orm/migrations';

export class Migration20261126120950 extends Migration {

  override name = 'Migration20261126120950';

  override up(): void | Promise<void> {
    this.addSql(`alter table "goals_log" add "trace_id" varchar(64) null;`);

    this.addSql(`alter table "budgets" add "fx_rate" numeric(20,10) null, add "fx_rate_date" date null;`);
    this.addSql(`alter table "budgets" add constraint "budgets_fx_rate_positive" check (fx_rate is null or fx_rate > 0);`);

    this.addSql(`alter table "budget_log" add "forecast_id" uuid null, add "import_id" uuid null, add "trace_id" varchar(64) null;`);
    this.addSql(`alter table "budget_log" add constraint "budget_log_forecast_id_foreign" foreign key ("forecast_id") references "forecasts" ("id") on delete cascade;`);
    this.addSql(`alter table "budget_log" add constraint "budget_log_import_id_foreign" foreign key ("import_id") references "imports" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "budget_log" drop constraint "budget_log_forecast_id_foreign";`);
    this.addSql(`alter table "budget_log" drop constraint "budget_log_import_id_foreign";`);

    this.addSql(`alter table "budget_log" drop column "forecast_id", drop column "import_id", drop column "trace_id";`);

    this.addSql(`alter table "budgets" drop constraint "budgets_fx_rate_positive";`);
    this.addSql(`alter table "budgets" drop column "fx_rate", drop column "fx_rate_date";`);

    this.addSql(`alter table "goals_log" drop column "trace_id";`);
  }

}
