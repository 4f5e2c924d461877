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
export { type Column, DataTable, type DataTableProps } from './DataTable.tsx';
export { Dialog, type DialogProps } from './Dialog.tsx';
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
export * from './icons.tsx';
export { type BellItem, NotificationBell, type NotificationBellProps } from './NotificationBell.tsx';
export { AuthCard, Page, type PageProps } from './Page.tsx';
export { Pager, type PagerProps, pageCount } from './Pager.tsx';
export { ProgressDisplay, type ProgressDisplayProps, percentOf } from './ProgressDisplay.tsx';
export { Section, SidePanel } from './SidePanel.tsx';
export { EmptyState, Loading } from './States.tsx';
