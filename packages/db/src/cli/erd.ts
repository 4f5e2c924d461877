/** Regenerates the ERD and the index and check tables in docs/data-model.md from the entities. */
import { writeErd } from '../erd.ts';

const changed = await writeErd();
console.log(changed ? 'docs/data-model.md: the data model was regenerated.' : 'docs/data-model.md is up to date.');
process.exit(0);
