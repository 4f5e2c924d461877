import { type Column, DataTable } from './DataTable.tsx';

export interface RowProblem {
  /** 1-based line in the file; 0 for a problem with the whole file. */
  line: number;
  field: string;
  value: string;
  message: string;
  /** Whose row it is, as the file gives it (empty for problems with the whole file). */
  email: string;
  name: string;
}

const FIELD_LABELS: Record<string, string> = { email: 'Email', name: 'Name', roles: 'Roles', file: 'File' };

export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field;
}

const whose = (text: string) => (text ? text : <span className="gp-muted">—</span>);

const columns: Column<RowProblem>[] = [
  { header: 'Line', render: (e) => (e.line > 0 ? e.line : '—'), className: 'gp-num' },
  {
    header: 'Email',
    render: (e) => whose(e.email),
    className: 'gp-table__wrap',
  },
  { header: 'Name', render: (e) => whose(e.name) },
  { header: 'Field', render: (e) => fieldLabel(e.field) },
  {
    header: 'Value',
    render: (e) => (e.value ? <code className="gp-code">{e.value}</code> : <span className="gp-muted">(empty)</span>),
  },
  { header: 'Problem', render: (e) => e.message },
];

/** The problems found in an uploaded file, one row per problem. */
export function ErrorTable({
  errors,
  caption = 'Problems found in the file',
}: {
  errors: readonly RowProblem[];
  caption?: string;
}) {
  return (
    <DataTable
      caption={caption}
      columns={columns}
      rows={errors}
      rowKey={(e) => `${e.line}:${e.field}:${e.message}`}
      empty="No problems."
    />
  );
}
