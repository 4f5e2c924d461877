/**
 * Budget imports, the parsing and checking half (`@goalpost/api/imports`): a file or a Google
 * Sheets link in, mapped lines and a dry-run report out. Committing into a budget is the budgets
 * service's step; see parse.ts for the result's shape.
 */
export type { CellValue, RejectionRule, SheetRow } from './cells.ts';
export { type Delimiter, detectDelimiter, detectEncoding } from './csv.ts';
export { type BudgetDiff, type CellChange, type ChangedLine, diffAgainst, type ExistingLine } from './diff.ts';
export {
  fetchGoogleSheet,
  type GoogleFetchOptions,
  type GoogleSheetsConfig,
  googleSheetsConfig,
  parseSheetLink,
  type SheetLink,
  valuesToRows,
} from './google.ts';
export {
  DEFAULT_IMPORT_LIMITS,
  type ImportLimits,
  ImportRefused,
  importLimits,
  type RefusalCode,
  readableSize,
  restBodyLimit,
} from './limits.ts';
export type { ColumnMapping, MappingOverride, PeriodColumn, Problem, ProblemCode, TotalColumn } from './mapping.ts';
export {
  type ImportOutcome,
  type ImportSource,
  type ParsedImport,
  type ParseOptions,
  parseImport,
  streamImport,
} from './parse.ts';
export { type Granularity, type Period, periodLabel } from './periods.ts';
export { importReportCsv, neutralise } from './report.ts';
export {
  type BudgetImportDocument,
  budgetImportDocument,
  budgetImportJsonSchema,
  type ImportOptions,
  type ImportTarget,
  importFormData,
  importOptions,
  importTarget,
  mappingOverride,
  type ParseOptionsInput,
  parseOptionsInput,
  type StartUploadFields,
} from './schema.ts';
export type { ImportProgress, ImportReport, ImportStats, LineSink, ParsedLine, RejectedCell } from './sheet.ts';
export type { TotalMismatch, TotalRow, TotalsReport } from './totals.ts';
export type { WorkbookSheet } from './xlsx.ts';
