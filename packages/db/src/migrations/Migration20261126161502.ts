import { Migration } from '@mikro-orm/migrations';

export class Migration20261126161502 extends Migration {

  override name = 'Migration20261126161502';

  override up(): void | Promise<void> {
    this.addSql(`create index "outbox_events_published_idx" on "outbox_events" ("published_at") where published_at is not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "outbox_events_published_idx";`);
  }

}
