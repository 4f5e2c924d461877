/**
 * The goal's progress names its second figure for what it is: Projected, actuals to date and then
 * the forecast for the remaining months. The forecast page's "Forecast" leaves the actuals out, so
 * the same word here showed two different numbers (QA saw €1,260.00 there and €1,060.00 here).
 */
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { GoalProgressBar } from './GoalProgressBar.tsx';

const progress = {
  plannedMinor: 1_200_00n,
  forecastMinor: 1_060_00n,
  reachedIn: '2027-03-01',
  forecastEnd: '2027-03-01',
  budgetCount: 1,
};

describe('goal progress', () => {
  it('says Projected, what it adds up, and never Forecast, in the list and on the goal page', () => {
    const shown = (explained: boolean) => {
      const view = render(
        <GoalProgressBar
          progress={progress}
          target={1_000_00n}
          currency="EUR"
          targetDate={null}
          explained={explained}
        />,
      );
      const key = screen.getByText(/^Projected €/);
      const outcome = {
        key: key.textContent,
        title: key.getAttribute('title'),
        bars: screen.getByRole('img').getAttribute('aria-label'),
        reach: screen.getByText(/target in/).textContent,
        note: document.querySelector('.gp-goal-progress__note')?.textContent ?? null,
        saysForecast: /Forecast/.test(view.container.textContent ?? ''),
      };
      view.unmount();
      return outcome;
    };
    const title = 'Projected: actuals to date, then the forecast for the remaining months.';
    const common = {
      key: 'Projected €1,060.00',
      title,
      bars: 'Planned €1,200.00, projected (actuals to date, then forecast) €1,060.00, target €1,000.00',
      reach: 'Projected to reach the target in Mar 2027',
      saysForecast: false,
    };
    expect({ list: shown(false), goalPage: shown(true) }).toEqual({
      list: { ...common, note: null },
      goalPage: { ...common, note: title },
    });
  });
});
