// Every migration, in order. `npm run migration:create` appends new ones here.
import { Migration20261125003335 } from './Migration20261125003335.ts';

export const migrationsList = [{ name: 'Migration20261125003335', class: Migration20261125003335 }];
