import { Alert } from '@goalpost/ui';
import { useEffect, useState } from 'react';
import {
  type ColumnChoice,
  type ColumnRole,
  choicesProblem,
  columnLetter,
  ROLE_LABELS,
  sameChoices,
} from './mapping.ts';

const ROLES = Object.keys(ROLE_LABELS) as ColumnRole[];

/**
 * The proposed mapping, one row per column of the sheet: what the column is imported as, and for
 * a period column which period. "Read the file again with this mapping" sends the correction; the
 * server reads the stored file again and the review shows the new outcome.
 */
export function MappingEditor({
  sheet,
  headerRow,
  proposed,
  initial,
  periodOptions,
  busy,
  onApply,
  onPending,
}: {
  sheet: string;
  headerRow: number | null;
  /** Whether the mapping shown is the server's proposal (false once corrected). */
  proposed: boolean;
  initial: readonly ColumnChoice[];
  periodOptions: readonly { value: string; label: string }[];
  busy: boolean;
  onApply: (choices: ColumnChoice[]) => void;
  /** Told whether there are changes not read yet, so the import waits for them. */
  onPending?: (pending: boolean) => void;
}) {
  const [choices, setChoices] = useState<ColumnChoice[]>(() => [...initial]);
  const [tried, setTried] = useState(false);
  const problem = choicesProblem(choices);
  const changed = !sameChoices(choices, initial);
  useEffect(() => onPending?.(changed), [changed, onPending]);
  const set = (col: number, patch: Partial<ColumnChoice>) =>
    setChoices((cs) => cs.map((c) => (c.col === col ? { ...c, ...patch } : c)));

  return (
    <div className="gp-form">
      <p className="gp-muted">
        {proposed ? 'Proposed from the headers' : 'Your mapping'} of “{sheet}”
        {headerRow ? `, header in row ${headerRow}` : ''}. Correct any column, then read the file again.
      </p>
      {/* A long sheet has many columns: the list scrolls in its own frame, which the keyboard can reach. */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to scroll without a mouse (WCAG 2.1.1). */}
      <section className="gp-table-wrap gp-mapping-frame" aria-label="Columns of the sheet" tabIndex={0}>
        <table className="gp-table gp-mapping">
          <caption className="gp-visually-hidden">Column mapping</caption>
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">Header in the file</th>
              <th scope="col">Imported as</th>
              <th scope="col">Period</th>
            </tr>
          </thead>
          <tbody>
            {choices.map((c) => {
              const letter = columnLetter(c.col);
              const name = c.label ? `${letter} (${c.label})` : letter;
              return (
                <tr key={c.col}>
                  <th scope="row">{letter}</th>
                  <td>{c.label || <span className="gp-muted">—</span>}</td>
                  <td>
                    <select
                      aria-label={`Column ${name} imported as`}
                      value={c.role}
                      disabled={busy}
                      onChange={(e) => {
                        const role = e.target.value as ColumnRole;
                        set(c.col, { role, period: role === 'period' ? (c.period ?? null) : c.period });
                      }}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {ROLE_LABELS[r]}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    {c.role === 'period' ? (
                      <select
                        aria-label={`Column ${name} period`}
                        value={c.period ?? ''}
                        disabled={busy}
                        onChange={(e) => set(c.col, { period: e.target.value || null })}
                      >
                        <option value="">Choose…</option>
                        {periodOptions.map((o) => (
                          <option key={o.value} value={o.value}>
                            {o.label}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <span className="gp-muted">—</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      {tried && problem ? <Alert>{problem}</Alert> : null}
      <div className="gp-button-row">
        <button
          type="button"
          className="gp-button"
          disabled={busy || !changed}
          onClick={() => {
            setTried(true);
            if (!problem) onApply(choices);
          }}
        >
          Read the file again with this mapping
        </button>
        {changed ? (
          <button type="button" className="gp-button" disabled={busy} onClick={() => setChoices([...initial])}>
            Undo my changes
          </button>
        ) : null}
      </div>
    </div>
  );
}
