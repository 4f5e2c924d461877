import { Alert, Dialog, FormDialog, SelectField, TextField } from '@goalpost/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { formProblem } from '../../lib/errors.ts';
import { type BudgetDetail, useTRPC } from '../../trpc.ts';

/** Rename the budget, or change its rate to the goal's currency (dated and logged). */
export function BudgetSettingsDialog({ budget, onClose }: { budget: BudgetDetail; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState(budget.name);
  const [fxRate, setFxRate] = useState(budget.fxRate ?? '');
  const [fxRateDate, setFxRateDate] = useState(new Date().toISOString().slice(0, 10));
  const otherCurrency = budget.currency !== budget.goal.currency;
  const update = useMutation(
    trpc.budgets.update.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.budgets.pathFilter());
        await queryClient.invalidateQueries(trpc.goals.pathFilter());
        onClose();
      },
    }),
  );
  const problem = formProblem(update.error, { name: ['name'], fxRate: ['fxRate'], fxRateDate: ['fxRateDate'] });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate({
      budgetId: budget.id,
      version: budget.version,
      name,
      ...(otherCurrency && fxRate !== budget.fxRate ? { fxRate: fxRate.trim(), fxRateDate } : {}),
    });
  };
  return (
    <FormDialog
      title="Budget settings"
      onClose={onClose}
      onSubmit={onSubmit}
      submitLabel="Save"
      submitDisabled={update.isPending}
      formError={problem?.formError}
    >
      <TextField label="Name" value={name} onChange={setName} error={problem?.fieldErrors.name} />
      {otherCurrency ? (
        <div className="gp-form__row">
          <TextField
            label={`Rate: ${budget.goal.currency} per ${budget.currency}`}
            inputMode="decimal"
            value={fxRate}
            onChange={setFxRate}
            error={problem?.fieldErrors.fxRate}
            className="gp-form__grow"
          />
          <TextField
            label="Valid from"
            type="date"
            value={fxRateDate}
            onChange={setFxRateDate}
            error={problem?.fieldErrors.fxRateDate}
          />
        </div>
      ) : (
        <p className="gp-muted">This budget counts in its goal's currency ({budget.currency}), so it needs no rate.</p>
      )}
    </FormDialog>
  );
}

/** Moves the budget to another goal: an explicit action, recorded in both goals' histories. */
export function MoveBudgetDialog({
  budget,
  onClose,
  onMoved,
}: {
  budget: BudgetDetail;
  onClose: () => void;
  onMoved: (goalId: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const goals = useQuery(trpc.goals.list.queryOptions({ status: 'active', sort: 'name', pageSize: 100 }));
  const choices = (goals.data?.items ?? []).filter((g) => g.id !== budget.goal.id);
  const [goalId, setGoalId] = useState('');
  const move = useMutation(
    trpc.budgets.move.mutationOptions({
      onSuccess: async (moved) => {
        await queryClient.invalidateQueries(trpc.goals.pathFilter());
        await queryClient.invalidateQueries(trpc.budgets.pathFilter());
        onMoved(moved.goal.id);
      },
    }),
  );
  const target = goalId || choices[0]?.id || '';
  return (
    <Dialog
      title="Move to another goal"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="gp-button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="gp-button gp-button--primary"
            disabled={!target || move.isPending}
            onClick={() => move.mutate({ budgetId: budget.id, goalId: target, version: budget.version })}
          >
            Move budget
          </button>
        </>
      }
    >
      <p className="gp-muted">
        A budget belongs to exactly one goal. “{budget.name}” is under “{budget.goal.name}” now.
      </p>
      <Alert>
        {move.isError
          ? (formProblem(move.error, { goalId: ['goalId'] })?.fieldErrors.goalId ?? move.error.message)
          : null}
      </Alert>
      {choices.length ? (
        <SelectField
          label="Move to"
          value={target}
          options={choices.map((g) => ({ value: g.id, label: `${g.name} (${g.currency})` }))}
          onChange={setGoalId}
        />
      ) : (
        <p>{goals.isPending ? 'Loading goals…' : 'You have no other active goal to move it to.'}</p>
      )}
    </Dialog>
  );
}
