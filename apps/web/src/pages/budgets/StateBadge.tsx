import { Badge, type BadgeTone } from '@goalpost/ui';

const STATES: Record<string, { label: string; tone: BadgeTone }> = {
  draft: { label: 'Draft', tone: 'neutral' },
  submitted: { label: 'Submitted', tone: 'info' },
  in_review: { label: 'In review', tone: 'info' },
  approved: { label: 'Approved', tone: 'success' },
  final_approved: { label: 'Final approved', tone: 'success' },
  changes_requested: { label: 'Changes requested', tone: 'warning' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
};

export function stateLabel(state: string): string {
  return STATES[state]?.label ?? state;
}

/** A budget's workflow state. */
export function StateBadge({ state }: { state: string }) {
  const s = STATES[state] ?? { label: state, tone: 'neutral' as const };
  return <Badge tone={s.tone}>{s.label}</Badge>;
}
