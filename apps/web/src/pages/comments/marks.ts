import { type CellId, type CellRef, cellId } from '@goalpost/ui';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
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

/**
 * The thread a link points at (a comment notification opens `?line=<key>&period=<yyyy-mm-01>&thread=<id>`):
 * read once when the page opens, so the page can show the comments with that thread and select its cell.
 */
export function useThreadLink(): { threadId: string; cell: CellRef | null } | null {
  const [params] = useSearchParams();
  const [link] = useState(() => {
    const threadId = params.get('thread');
    if (!threadId) return null;
    const line = params.get('line');
    const period = params.get('period');
    return { threadId, cell: line && period ? { rowKey: line, column: period } : null };
  });
  return link;
}
