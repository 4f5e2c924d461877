import { useQueryClient } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../lib/errors.ts';
import { type Batch, SaveQueue, type SaveState, type SendOutcome } from '../../lib/save-queue.ts';
import { errorCode } from '../../trpc.ts';

export interface ServerConflict {
  lineKey: string;
  period: string | null;
  field: string;
  current: bigint | string | null;
  mine: bigint | string | null;
  lineRemoved?: boolean;
}

/**
 * The save queue of one grid, wired to a save procedure: answers become queue outcomes, conflicts
 * come back for the page to show, and closing the tab with edits waiting (or cells holding text
 * that is not an amount, which are never sent) asks first.
 */
export function useGridSave<F extends string>(
  save: (batch: Batch<F>) => Promise<unknown>,
  onConflicts: (conflicts: ServerConflict[]) => void,
) {
  const [state, setState] = useState<SaveState>({ kind: 'saved' });
  // Amount cells holding text that is not an amount: shown marked in the grid, never sent.
  const [refused, setRefused] = useState(0);
  const queryClient = useQueryClient();
  const saveRef = useRef(save);
  const conflictsRef = useRef(onConflicts);
  useEffect(() => {
    saveRef.current = save;
    conflictsRef.current = onConflicts;
  });
  const [queue] = useState(
    () =>
      new SaveQueue<F>({
        send: async (batch): Promise<SendOutcome> => {
          try {
            await saveRef.current(batch);
            return { ok: true };
          } catch (error) {
            const code = errorCode(error);
            if (code === 'CONFLICT' && error instanceof TRPCClientError) {
              const conflicts = (error.data as { conflicts?: ServerConflict[] | null } | undefined)?.conflicts;
              if (conflicts) return { ok: false, conflict: conflicts };
              return { ok: false, stop: errorMessage(error) };
            }
            if (!code || code === 'INTERNAL_SERVER_ERROR' || code === 'TOO_MANY_REQUESTS' || code === 'TIMEOUT') {
              return { ok: false, retry: errorMessage(error) };
            }
            if (code === 'UNAUTHORIZED') void queryClient.invalidateQueries({ queryKey: [['auth', 'me']] });
            return { ok: false, stop: errorMessage(error) };
          }
        },
        onState: setState,
        onConflicts: (conflicts) => conflictsRef.current(conflicts as ServerConflict[]),
      }),
  );
  useEffect(() => () => queue.dispose(), [queue]);
  const unsaved = state.kind !== 'saved' || refused > 0;
  useEffect(() => {
    if (!unsaved) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      // Older browsers show their own text only when returnValue is set.
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [unsaved]);
  return { queue, state, refused, onRefusedCellsChange: setRefused };
}

/** The save state's look: a warning, not the saved tick, while cells hold refused text. */
export function saveStateKind(state: SaveState, refused = 0): SaveState['kind'] {
  return state.kind === 'saved' && refused > 0 ? 'stopped' : state.kind;
}

/**
 * "All changes saved", "Saving 3 changes…", …: the save state in words, never "saved" while a
 * cell holds text that is not an amount (`refused` of them).
 */
export function describeSave(state: SaveState, refused = 0): string {
  const n = (w: number) => `${w} change${w === 1 ? '' : 's'}`;
  switch (state.kind) {
    case 'saved':
      return refused > 0
        ? `All changes saved except ${refused} cell${refused === 1 ? ' that is not an amount' : 's that are not amounts'} (marked in red)`
        : 'All changes saved';
    case 'saving':
      return `Saving ${n(state.waiting)}…`;
    case 'retrying':
      return `Could not save ${n(state.waiting)} (${state.message}). Retrying…`;
    case 'stopped':
      return `${n(state.waiting)} not saved: ${state.message}`;
  }
}
