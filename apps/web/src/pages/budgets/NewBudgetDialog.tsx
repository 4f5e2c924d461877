import { FormDialog, SelectField, TextField } from '@goalpost/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { formProblem } from '../../lib/errors.ts';
import { CURRENCY_OPTIONS } from '../../lib/money.ts';
import { type GoalDetail, useTRPC } from '../../trpc.ts';

type Field = 'name' | 'currency' | 'fxRate' | 'periodStart' | 'periods';

const PERIOD_OPTIONS = [
  { value: 'fy', label: 'A financial year (12 months)' },
  { value: 'custom', label: 'Any run of months or quarters' },
] as const;

/** A new budget under a goal: name, currency (and its rate to the goal's), and its periods. */
export function NewBudgetDialog({
  goal,
  onClose,
  onCreated,
}: {
  goal: Pick<GoalDetail, 'id' | 'name' | 'currency'>;
  onClose: () => void;
  onCreated: (budgetId: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const nextYear = new Date().getUTCFullYear() + 1;
  const [name, setName] = useState('');
  const [currency, setCurrency] = useState(goal.currency);
  const [fxRate, setFxRate] = useState('');
  const [shape, setShape] = useState<'fy' | 'custom'>('fy');
  const [year, setYear] = useState(String(nextYear));
  const [startMonth, setStartMonth] = useState(`${nextYear}-01`);
  const [periods, setPeriods] = useState('12');
  const [granularity, setGranularity] = useState<'monthly' | 'quarterly'>('monthly');
  const [local, setLocal] = useState<Partial<Record<Field, string>>>({});
  const create = useMutation(
    trpc.budgets.create.mutationOptions({
      onSuccess: async (budget) => {
        await queryClient.invalidateQueries(trpc.goals.pathFilter());
        onCreated(budget.id);
      },
    }),
  );
  const problem = formProblem(create.error, {
    name: ['name'],
    currency: ['currency'],
    fxRate: ['fxRate'],
    periodStart: ['periodStart'],
    periods: ['periods'],
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!name.trim()) found.name = 'Enter a name.';
    const otherCurrency = currency !== goal.currency;
    if (otherCurrency && !/^\d+(\.\d+)?$/.test(fxRate.trim())) {
      found.fxRate = `Enter how many ${goal.currency} one ${currency} is worth, like 1.0845.`;
    }
    const count = shape === 'fy' ? (granularity === 'monthly' ? 12 : 4) : Number(periods);
    if (!Number.isInteger(count) || count < 1 || count > 60) found.periods = 'Choose between 1 and 60 periods.';
    const start = shape === 'fy' ? `${year}-01` : startMonth;
    if (!/^\d{4}-\d{2}$/.test(start)) found.periodStart = 'Choose the first month.';
    setLocal(found);
    if (Object.keys(found).length) return;
    create.mutate({
      goalId: goal.id,
      name,
      currency,
      ...(otherCurrency ? { fxRate: fxRate.trim() } : {}),
      periodStart: `${start}-01`,
      periods: count,
      granularity,
    });
  };

  return (
    <FormDialog
      title="New budget"
      onClose={onClose}
      width={520}
      onSubmit={onSubmit}
      submitLabel="Create budget"
      submitDisabled={create.isPending}
      formError={problem?.formError}
      intro={<p className="gp-muted">Under the goal “{goal.name}”.</p>}
    >
      <TextField label="Name" value={name} onChange={setName} error={local.name ?? problem?.fieldErrors.name} />
      <div className="gp-form__row">
        <SelectField
          label="Currency"
          value={currency}
          onChange={setCurrency}
          options={CURRENCY_OPTIONS}
          className="gp-field--currency"
        />
        {currency !== goal.currency ? (
          <TextField
            label={`Rate: ${goal.currency} per ${currency}`}
            inputMode="decimal"
            value={fxRate}
            onChange={setFxRate}
            hint="Entered by you and kept with its date; the goal's totals convert with it."
            error={local.fxRate ?? problem?.fieldErrors.fxRate}
            className="gp-form__grow"
          />
        ) : null}
      </div>
      <SelectField label="Periods" value={shape} options={PERIOD_OPTIONS} onChange={setShape} />
      <SelectField
        label="Granularity"
        value={granularity}
        options={[
          { value: 'monthly', label: 'Monthly' },
          { value: 'quarterly', label: 'Quarterly' },
        ]}
        onChange={setGranularity}
      />
      {shape === 'fy' ? (
        <TextField
          label="Financial year"
          inputMode="numeric"
          value={year}
          onChange={setYear}
          hint={`FY ${year}: January to December ${year}.`}
          error={local.periodStart ?? problem?.fieldErrors.periodStart}
        />
      ) : (
        <div className="gp-form__row">
          <TextField
            label="First month"
            type="month"
            value={startMonth}
            onChange={setStartMonth}
            error={local.periodStart ?? problem?.fieldErrors.periodStart}
          />
          <TextField
            label={granularity === 'monthly' ? 'Number of months' : 'Number of quarters'}
            inputMode="numeric"
            value={periods}
            onChange={setPeriods}
            error={local.periods ?? problem?.fieldErrors.periods}
          />
        </div>
      )}
    </FormDialog>
  );
}
