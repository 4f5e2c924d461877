import { type CellId, cellId } from '@goalpost/ui';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { type CommentSubject, useTRPC } from '../../trpc.ts';

/** The grid's comment markers: each cell with open threads (`${lineKey}:${period}`), and how many threads are open. */
export function useCommentMarks(
  subject: CommentSubject,
  versionNumber?: number,
): { marked: ReadonlySet<CellId>; open: number } {
  const trpc = useTRPC();
  const cells = useQuery(trpc.comments.cells.queryOptions({ subject, versionNumber }));
  return useMemo(
    () => ({
      marked: new Set((cells.data ?? []).map((c) => cellId(c.lineKey, c.period))),
      open: (cells.data ?? []).reduce((sum, c) => sum + c.open, 0),
    }),
    [cells.data],
  );
}
