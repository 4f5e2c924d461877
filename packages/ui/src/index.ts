export { Alert, Notice } from './Alert.tsx';
export {
  AppShell,
  type AppShellProps,
  initials,
  type LinkComponent,
  type NavItem,
  NavRail,
  roleName,
  UserMenu,
  type UserMenuProps,
} from './AppShell.tsx';
export { Badge, type BadgeTone } from './Badge.tsx';
export {
  type Column,
  DataTable,
  type DataTableProps,
  type RowChecks,
  type SortDirection,
  type SortState,
} from './DataTable.tsx';
export {
  ConfirmDialog,
  type ConfirmDialogProps,
  Dialog,
  type DialogProps,
  FormDialog,
  type FormDialogProps,
} from './Dialog.tsx';
export { ErrorTable, fieldLabel, type RowProblem } from './ErrorTable.tsx';
export {
  CheckboxGroup,
  type CheckboxGroupProps,
  FieldError,
  SelectField,
  type SelectFieldProps,
  TextField,
  type TextFieldProps,
} from './Field.tsx';
export { FileDrop, type FileDropProps } from './FileDrop.tsx';
export type { AmountReading, CellValue } from './grid/cell-entry.ts';
export { type ClipboardCell, type ClipboardContent, parseTsv, readClipboard } from './grid/clipboard.ts';
export { Grid, type GridComponentProps } from './grid/Grid.tsx';
export type { CellAction, CellConflict, GridHandle, GridProps } from './grid/grid-controller.ts';
export {
  type CellChange,
  type CellId,
  type CellRef,
  cellId,
  type GridColumn,
  type GridRow,
  type RowsInserted,
  type RowsMoved,
  type RowsRemoved,
} from './grid/grid-model.ts';
export { type NumberLocale, numberLocale } from './grid/number-formats.ts';
export { withChanges, withInserted, withMoved, withRemoved } from './grid/rows.ts';
export * from './icons.tsx';
export { Listbox, useListbox } from './Listbox.tsx';
export { type BellItem, NotificationBell, type NotificationBellProps } from './NotificationBell.tsx';
export { AuthCard, Page, type PageProps } from './Page.tsx';
export { Pager, type PagerProps, pageCount } from './Pager.tsx';
export { ProgressDisplay, type ProgressDisplayProps, percentOf } from './ProgressDisplay.tsx';
export { Section, SidePanel } from './SidePanel.tsx';
export { EmptyState, Loading } from './States.tsx';
