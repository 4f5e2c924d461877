// Every migration, in order. `npm run migration:create` appends new ones here.
import { Migration20261125003335 } from './Migration20261125003335.ts';
import { Migration20261126115522 } from './Migration20261126115522.ts';
import { Migration20261126120950 } from './Migration20261126120950.ts';
import { Migration20261126121004 } from './Migration20261126121004.ts';
import { Migration20261126123625 } from './Migration20261126123625.ts';
import { Migration20261126124554 } from './Migration20261126124554.ts';
import { Migration20261126151716 } from './Migration20261126151716.ts';
import { Migration20261126151808 } from './Migration20261126151808.ts';
import { Migration20261126161502 } from './Migration20261126161502.ts';
import { Migration20261126190302 } from './Migration20261126190302.ts';

export const migrationsList = [
  { name: 'Migration20261125003335', class: Migration20261125003335 },
  { name: 'Migration20261126115522', class: Migration20261126115522 },
  { name: 'Migration20261126120950', class: Migration20261126120950 },
  { name: 'Migration20261126121004', class: Migration20261126121004 },
  { name: 'Migration20261126123625', class: Migration20261126123625 },
  { name: 'Migration20261126124554', class: Migration20261126124554 },
  { name: 'Migration20261126151716', class: Migration20261126151716 },
  { name: 'Migration20261126151808', class: Migration20261126151808 },
  { name: 'Migration20261126161502', class: Migration20261126161502 },
  { name: 'Migration20261126190302', class: Migration20261126190302 },
];
