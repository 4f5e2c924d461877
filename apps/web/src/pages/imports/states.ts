/**
 * A budget import's state in words and colour, and whether it is still moving (the pages poll the
 * server while it is, and stop once it waits for the person or has ended).
 */
import type { BadgeTone } from '@goalpost/ui';

export type ImportState = 'queued' | 'parsing' | 'ready' | 'importing' | 'done' | 'failed' | 'cancelled';

const STATES: Record<ImportState, { label: string; tone: BadgeTone; moving: boolean }> = {
  queued: { label: 'Queued', tone: 'neutral', moving: true },
  parsing: { label: 'Reading the file', tone: 'info', moving: true },
  ready: { label: 'Ready for review', tone: 'warning', moving: false },
  importing: { label: 'Importing', tone: 'info', moving: true },
  done: { label: 'Done', tone: 'success', moving: false },
  failed: { label: 'Failed', tone: 'danger', moving: false },
  cancelled: { label: 'Cancelled', tone: 'neutral', moving: false },
};

export function importState(state: string): { label: string; tone: BadgeTone; moving: boolean } {
  return STATES[state as ImportState] ?? { label: state, tone: 'neutral', moving: false };
}

/** How often an import that is moving is asked for again. */
export const IMPORT_POLL_MS = 750;
