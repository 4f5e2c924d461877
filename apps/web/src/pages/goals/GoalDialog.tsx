import { toDecimalString } from '@goalpost/api/money';
import { FormDialog, SelectField, TextField } from '@goalpost/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { formProblem } from '../../lib/errors.ts';
import { CURRENCY_OPTIONS, readAmount } from '../../lib/money.ts';
import { type GoalDetail, useTRPC } from '../../trpc.ts';

type Field = 'name' | 'category' | 'description' | 'target' | 'currency' | 'targetDate';

const SERVER_FIELDS: Record<Field, readonly string[]> = {
  name: ['name'],
  category: ['category'],
  description: ['description'],
  target: ['targetAmountMinor'],
  currency: ['currency'],
  targetDate: ['targetDate'],
};

/** Creates a goal, or edits one (`goal` given): name, category, target amount and date. */
export function GoalDialog({
  goal,
  onClose,
  onSaved,
}: {
  goal?: GoalDetail;
  onClose: () => void;
  onSaved: (goalId: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const descriptionId = useId();
  const [name, setName] = useState(goal?.name ?? '');
  const [category, setCategory] = useState(goal?.category ?? '');
  const [description, setDescription] = useState(goal?.description ?? '');
  const [currency, setCurrency] = useState(goal?.currency ?? 'EUR');
  const [target, setTarget] = useState(goal ? toDecimalString(goal.targetAmountMinor, goal.currency) : '');
  const [targetDate, setTargetDate] = useState(goal?.targetDate ?? '');
  const [local, setLocal] = useState<Partial<Record<Field, string>>>({});
  const onSuccess = async (saved: GoalDetail) => {
    await queryClient.invalidateQueries(trpc.goals.pathFilter());
    onSaved(saved.id);
  };
  const create = useMutation(trpc.goals.create.mutationOptions({ onSuccess }));
  const update = useMutation(trpc.goals.update.mutationOptions({ onSuccess }));
  const pending = create.isPending || update.isPending;
  const problem = formProblem(create.error ?? update.error, SERVER_FIELDS);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!name.trim()) found.name = 'Enter a name.';
    const amount = readAmount(target, currency);
    if ('problem' in amount) found.target = amount.problem;
    else if (amount.minor === null) found.target = 'Enter the amount the goal needs.';
    else if (amount.minor < 0n) found.target = 'The target cannot be negative.';
    setLocal(found);
    if (Object.keys(found).length || !('minor' in amount) || amount.minor === null) return;
    const fields = {
      name,
      category: category.trim() || null,
      description: description.trim() || null,
      targetAmountMinor: amount.minor,
      targetDate: targetDate || null,
    };
    if (goal) update.mutate({ goalId: goal.id, version: goal.version, ...fields });
    else create.mutate({ ...fields, currency });
  };

  return (
    <FormDialog
      title={goal ? 'Edit goal' : 'New goal'}
      onClose={onClose}
      width={520}
      onSubmit={onSubmit}
      submitLabel={goal ? 'Save goal' : 'Create goal'}
      submitDisabled={pending}
      formError={problem?.formError}
    >
      <TextField label="Name" value={name} onChange={setName} error={local.name ?? problem?.fieldErrors.name} />
      <TextField
        label="Category"
        value={category}
        onChange={setCategory}
        hint="For grouping and filtering, e.g. Facilities or Savings."
        error={problem?.fieldErrors.category}
      />
      <div className="gp-form__row">
        <TextField
          label="Target amount"
          inputMode="decimal"
          value={target}
          onChange={setTarget}
          error={local.target ?? problem?.fieldErrors.target}
          className="gp-form__grow"
        />
        <SelectField
          label="Currency"
          value={currency}
          onChange={setCurrency}
          options={CURRENCY_OPTIONS}
          className="gp-field--currency"
          disabled={Boolean(goal)}
          hint={goal ? 'A goal keeps its currency.' : undefined}
        />
      </div>
      <TextField
        label="Target date"
        type="date"
        value={targetDate}
        onChange={setTargetDate}
        error={problem?.fieldErrors.targetDate}
      />
      <div className="gp-field">
        <label htmlFor={descriptionId}>Description</label>
        <textarea id={descriptionId} rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />
      </div>
    </FormDialog>
  );
}
