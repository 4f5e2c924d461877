import { money, share } from '../../lib/money.ts';
import { formatDate, labelOf } from '../../lib/periods.ts';
import type { GoalProgress } from '../../trpc.ts';

/**
 * Planned (the goal's budgets) and projected against the target, as two bars on one scale, with
 * the month the projection reaches the target or "not reached by …". Projected is each budget's
 * latest forecast with its actuals where they are known: the actual of a month, else its forecast
 * (so not the forecast page's "Forecast", which leaves the actuals out).
 */
const PROJECTED = 'Projected: actuals to date, then the forecast for the remaining months.';

export function GoalProgressBar({
  progress,
  target,
  currency,
  targetDate,
  explained = false,
}: {
  progress: GoalProgress;
  target: bigint;
  currency: string;
  targetDate: string | null;
  /** Says under the legend what Projected adds up (the goal's page; lists keep it in the key's title). */
  explained?: boolean;
}) {
  const scale = [target, progress.plannedMinor, progress.forecastMinor ?? 0n].reduce((a, b) => (b > a ? b : a), 0n);
  const width = (v: bigint) => `${Math.max(0, Math.min(100, share(v, scale) * 100))}%`;
  const targetAt = width(target);
  const reach = progress.reachedIn
    ? `Projected to reach the target in ${labelOf(progress.reachedIn)}`
    : progress.forecastMinor === null
      ? 'No forecast yet'
      : `Not reached by ${targetDate ? formatDate(targetDate) : labelOf(progress.forecastEnd ?? '')}`;
  return (
    <div className="gp-goal-progress">
      <div
        className="gp-goal-progress__bars"
        role="img"
        aria-label={`Planned ${money(progress.plannedMinor, currency)}, projected (actuals to date, then forecast) ${money(progress.forecastMinor, currency)}, target ${money(target, currency)}`}
      >
        <div
          className="gp-goal-progress__bar gp-goal-progress__bar--planned"
          style={{ width: width(progress.plannedMinor) }}
        />
        {progress.forecastMinor !== null ? (
          <div
            className="gp-goal-progress__bar gp-goal-progress__bar--forecast"
            style={{ width: width(progress.forecastMinor) }}
          />
        ) : null}
        {target > 0n ? <div className="gp-goal-progress__target" style={{ left: targetAt }} /> : null}
      </div>
      <div className="gp-goal-progress__legend">
        <span className="gp-goal-progress__key gp-goal-progress__key--planned">
          Planned {money(progress.plannedMinor, currency)}
        </span>
        <span className="gp-goal-progress__key gp-goal-progress__key--forecast" title={PROJECTED}>
          Projected {money(progress.forecastMinor, currency)}
        </span>
        <span
          className={
            progress.reachedIn ? 'gp-goal-progress__reach' : 'gp-goal-progress__reach gp-goal-progress__reach--no'
          }
        >
          {reach}
        </span>
      </div>
      {explained ? <p className="gp-muted gp-goal-progress__note">{PROJECTED}</p> : null}
    </div>
  );
}
