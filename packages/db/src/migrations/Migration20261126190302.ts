import { Migration } from '@mikro-orm/migrations';

export class Migration20261126190302 extends Migration {

  override name = 'Migration20261126190302';

  override up(): void | Promise<void> {
    this.addSql(`create index "forecasts_owner_idx" on "forecasts" ("org_id", "owner_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "forecasts_owner_idx";`);
  }

}
