import { currencyDigits } from '@goalpost/api/money';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { money } from '../../lib/money.ts';
import { labelOf } from '../../lib/periods.ts';
import type { ForecastDetail } from '../../trpc.ts';
import type { Figures } from './variance.ts';

/**
 * Budget, forecast and actual per period (recharts). The chart draws numbers, so amounts become
 * JS numbers here only, for drawing; tooltips show the exact amounts.
 */
export function ForecastChart({ forecast, totals }: { forecast: ForecastDetail; totals: Figures }) {
  const scale = 10 ** currencyDigits(forecast.currency);
  const asNumber = (v: bigint | null) => (v === null ? null : Number(v) / scale);
  const data = forecast.periods.map((period, i) => ({
    period: labelOf(period, forecast.granularity),
    budget: asNumber(totals.budget[i] ?? null),
    forecast: asNumber(totals.forecast[i] ?? null),
    actual: asNumber(totals.actual[i] ?? null),
    exact: { budget: totals.budget[i] ?? null, forecast: totals.forecast[i] ?? null, actual: totals.actual[i] ?? null },
  }));
  return (
    <figure className="gp-chart" aria-label="Budget, forecast and actual per period">
      <ResponsiveContainer width="100%" height={260}>
        <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid stroke="#e3e7ed" vertical={false} />
          <XAxis dataKey="period" tick={{ fontSize: 12 }} />
          <YAxis tick={{ fontSize: 12 }} width={80} tickFormatter={(v: number) => v.toLocaleString()} />
          <Tooltip
            formatter={(_value, name, item) => {
              const exact = (item.payload as (typeof data)[number]).exact[name as 'budget' | 'forecast' | 'actual'];
              return [money(exact, forecast.currency), String(name)];
            }}
          />
          <Legend />
          <Bar dataKey="budget" name="budget" fill="#b8c7ea" />
          <Line dataKey="forecast" name="forecast" stroke="#2f9e6b" strokeWidth={2} dot={false} connectNulls />
          <Line dataKey="actual" name="actual" stroke="#1f2933" strokeWidth={2} connectNulls />
        </ComposedChart>
      </ResponsiveContainer>
      <figcaption className="gp-visually-hidden">
        {data
          .map(
            (d) =>
              `${d.period}: budget ${money(d.exact.budget, forecast.currency)}, forecast ${money(d.exact.forecast, forecast.currency)}, actual ${money(d.exact.actual, forecast.currency)}`,
          )
          .join('; ')}
      </figcaption>
    </figure>
  );
}
