import { type ChangeEvent, type InputHTMLAttributes, type ReactNode, useId } from 'react';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange' | 'value'>;

export interface TextFieldProps extends InputProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** A problem with this field, shown beside it and announced. */
  error?: string | undefined;
  /** Help shown under the field. */
  hint?: ReactNode;
}

/** A labelled input with its hint and error wired up through aria-describedby. */
export function TextField({ label, value, onChange, error, hint, className, ...input }: TextFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`gp-field${error ? ' gp-field--invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={value}
        onChange={(e: ChangeEvent<HTMLInputElement>) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...input}
      />
      {hint ? (
        <div id={hintId} className="gp-field__hint">
          {hint}
        </div>
      ) : null}
      <FieldError id={errorId} message={error} />
    </div>
  );
}

export function FieldError({ id, message }: { id?: string; message?: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} role="alert" className="gp-field__error">
      {message}
    </p>
  );
}

export interface SelectFieldProps<V extends string> {
  label: string;
  value: V;
  onChange: (value: V) => void;
  options: readonly { value: V; label: string }[];
  className?: string;
  disabled?: boolean;
  /** Help shown under the field (why it is disabled, what the choice means). */
  hint?: ReactNode;
}

/** A labelled select, its hint wired up through aria-describedby. */
export function SelectField<V extends string>({
  label,
  value,
  onChange,
  options,
  className,
  disabled,
  hint,
}: SelectFieldProps<V>) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className={`gp-field gp-field--inline${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value as V)}
        disabled={disabled}
        aria-describedby={hint ? hintId : undefined}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint ? (
        <div id={hintId} className="gp-field__hint">
          {hint}
        </div>
      ) : null}
    </div>
  );
}

export interface CheckboxGroupProps<V extends string> {
  legend: string;
  options: readonly { value: V; label: string }[];
  selected: readonly V[];
  onToggle: (value: V, checked: boolean) => void;
  disabled?: boolean;
  error?: string | undefined;
  /** Keeps the legend for assistive technology only (when a heading already names the group). */
  legendHidden?: boolean;
}

/** A fieldset of checkboxes, each labelled by its option's label. */
export function CheckboxGroup<V extends string>({
  legend,
  options,
  selected,
  onToggle,
  disabled,
  error,
  legendHidden,
}: CheckboxGroupProps<V>) {
  const id = useId();
  return (
    <fieldset className="gp-checkboxes" disabled={disabled} aria-describedby={error ? `${id}-error` : undefined}>
      <legend className={legendHidden ? 'gp-visually-hidden' : undefined}>{legend}</legend>
      {options.map((o) => (
        <label key={o.value} className="gp-checkbox">
          <input
            type="checkbox"
            value={o.value}
            checked={selected.includes(o.value)}
            onChange={(e) => onToggle(o.value, e.target.checked)}
          />
          {o.label}
        </label>
      ))}
      <FieldError id={`${id}-error`} message={error} />
    </fieldset>
  );
}
