export interface ProgressDisplayProps {
  /** The accessible name of the progress bar, e.g. "Import progress". */
  label: string;
  value: number;
  max: number;
  /** A short state shown beside the bar, e.g. "Running". */
  state?: string;
  /** What the numbers count, e.g. "rows". */
  unit?: string;
}

export function percentOf(value: number, max: number): number {
  if (max <= 0) return 0;
  return Math.round((Math.min(Math.max(value, 0), max) / max) * 100);
}

/** A labelled progress bar with the count and percentage spelled out. */
export function ProgressDisplay({ label, value, max, state, unit = 'rows' }: ProgressDisplayProps) {
  const safeMax = Math.max(max, 0);
  const safeValue = Math.min(Math.max(value, 0), safeMax);
  const percent = percentOf(safeValue, safeMax);
  return (
    <div className="gp-progress">
      <div className="gp-progress__head">
        <span className="gp-progress__label">{label}</span>
        {state ? <span className="gp-progress__state">{state}</span> : null}
      </div>
      <progress
        aria-label={label}
        value={safeValue}
        max={safeMax || 1}
        aria-valuenow={safeValue}
        aria-valuemin={0}
        aria-valuemax={safeMax}
        aria-valuetext={`${safeValue} of ${safeMax} ${unit} (${percent}%)`}
      />
      <div className="gp-progress__detail">
        {safeValue.toLocaleString('en-US')} of {safeMax.toLocaleString('en-US')} {unit} · {percent}%
      </div>
    </div>
  );
}
