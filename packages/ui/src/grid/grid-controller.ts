/**
 * Everything the grid does with Handsontable, outside React: the settings, the hooks that turn
 * typed and pasted input into stored values, the renderers, totals, and the report of each user
 * action to the page. The React component (Grid.tsx) mounts Handsontable once with these settings
 * and passes later props here, so a re-render of the page never reloads the grid (which would
 * lose the selection, the scroll position and the undo stack).
 *
 * Handsontable holds one RowState object per row (see grid-model.ts) in an array it mutates in
 * place; `#rows` is that array, indexed by physical row.
 */
import type {
  CellProperties,
  ColumnSettings,
  GridSettings,
  CellChange as HotCellChange,
  HotInstance,
} from 'handsontable/base';
import { TextEditor } from 'handsontable/editors/textEditor';
import { AutoColumnSize } from 'handsontable/plugins/autoColumnSize';
import { Autofill } from 'handsontable/plugins/autofill';
import { ContextMenu } from 'handsontable/plugins/contextMenu';
import { CopyPaste } from 'handsontable/plugins/copyPaste';
import { DragToScroll } from 'handsontable/plugins/dragToScroll';
import { ManualColumnResize } from 'handsontable/plugins/manualColumnResize';
import { ManualRowMove } from 'handsontable/plugins/manualRowMove';
import { registerPlugin } from 'handsontable/plugins/registry';
import { UndoRedo } from 'handsontable/plugins/undoRedo';
import { baseRenderer } from 'handsontable/renderers/baseRenderer';
import { getTheme, mainTheme, registerTheme } from 'handsontable/themes';
import {
  type AmountReader,
  type AmountReading,
  type CellValue,
  enterAmount,
  enterText,
  type StoredValue,
  sameValue,
} from './cell-entry.ts';
import { type ClipboardCell, type ClipboardContent, readClipboard } from './clipboard.ts';
import { EditBatch } from './edit-batch.ts';
import {
  type CellChange,
  type CellId,
  type CellRef,
  cellId,
  type GridColumn,
  type GridRow,
  type RowState,
  type RowsInserted,
  type RowsMoved,
  type RowsRemoved,
} from './grid-model.ts';
import { type NumberLocale, numberLocale } from './number-formats.ts';
import { ColumnTotals, rowTotal } from './totals.ts';

/** Handsontable's key for non-commercial use and evaluation; a commercial deployment needs its own. */
const LICENSE_KEY = 'non-commercial-and-evaluation';

let registered = false;

/**
 * Registers only the Handsontable plugins the grid uses (all of them cost ~430 kB gzip), when the
 * first grid is made rather than on import, so pages that never show a grid do not carry them.
 * ContextMenu needs AutoColumnSize registered; the grid keeps it switched off (fixed widths).
 */
function registerGridModules(): void {
  if (registered) return;
  registered = true;
  for (const plugin of [
    UndoRedo,
    CopyPaste,
    Autofill,
    AutoColumnSize,
    ContextMenu,
    ManualRowMove,
    ManualColumnResize,
    DragToScroll,
  ]) {
    registerPlugin(plugin);
  }
}

/** Registered once: passing the raw theme object makes every grid instance register it again. */
function gridTheme() {
  return getTheme('main') ?? registerTheme(mainTheme);
}

export interface CellConflict {
  theirs: CellValue;
  mine: CellValue;
}

export interface CellAction {
  id: string;
  label: string;
}

export interface GridProps {
  /** The grid's accessible name, e.g. "Budget 2027 lines". */
  'aria-label': string;
  columns: readonly GridColumn[];
  rows: readonly GridRow[];
  /** The user's locale (BCP 47): how typed amounts and Google Sheets pastes are read. */
  locale: string;
  /** Shows an amount, e.g. `1,234.50` in the budget's currency and the user's locale. */
  format: (minor: bigint) => string;
  /** The text the cell editor and a copy show for an amount; must read back through `parseAmount`. Default: `format`. */
  editText?: (minor: bigint) => string;
  /** Reads typed or pasted text in a locale into minor units, or says why it cannot. */
  parseAmount: (text: string, locale: NumberLocale) => AmountReading;
  /** Reads a spreadsheet's raw value (`-1234.5678`) into minor units, rounding to the currency's scale. */
  fromRaw: (decimal: string) => AmountReading;
  /** A new stable key for an inserted row, e.g. `crypto.randomUUID()`. */
  newRowKey: () => string;
  /** Called once per user action (typing, paste, fill, clear, undo, redo) with the cells it changed. */
  onChange?: (changes: CellChange[]) => void;
  onRowsInserted?: (event: RowsInserted) => void;
  onRowsRemoved?: (event: RowsRemoved) => void;
  onRowsMoved?: (event: RowsMoved) => void;
  /** Cells someone else changed while this user had an unsaved edit, keyed by `${rowKey}:${columnId}`. */
  conflicts?: ReadonlyMap<CellId, CellConflict> | Readonly<Record<CellId, CellConflict>>;
  onResolveConflict?: (cell: CellId, keep: 'mine' | 'theirs') => void;
  /** Cells with a small corner marker (e.g. a comment thread), keyed by `${rowKey}:${columnId}`. */
  markedCells?: ReadonlySet<CellId>;
  /** Extra context-menu items for a cell, e.g. Comment…, History…. */
  cellActions?: readonly CellAction[];
  onCellContextAction?: (action: string, cell: CellRef) => void;
  /** The focused cell, or null when the focus is on a header or the total column. */
  onSelectionChange?: (cell: CellRef | null) => void;
  /** How many amount cells hold text that is not an amount (shown marked, never saved), when it changes. */
  onRefusedCellsChange?: (count: number) => void;
  readOnly?: boolean;
  /**
   * The rows are given (a forecast's rows are its budget's lines): cells stay editable, but rows
   * cannot be inserted, removed or moved, and a paste never creates rows.
   */
  fixedRows?: boolean;
  /** Label of the totals row. Default: "Total". */
  totalLabel?: string;
  /** Show the totals row and column (default). Off for figures that do not add up, such as percentages. */
  totals?: boolean;
}

export interface GridHandle {
  focus(): void;
  selectCell(cell: CellRef): void;
  /**
   * Inserts empty rows (reported through onRowsInserted), e.g. for an "Add line" button, and
   * selects the first new row's first cell with the keyboard in the grid.
   */
  insertRows(index: number, count: number): void;
}

/** Source of a change made by the page (server values): not an edit, never undone, never reported. */
const PAGE_SOURCE = 'page';
const MENU_SEPARATOR = { name: '---------' };

type Hot = HotInstance;

type Renderer = (
  hot: Hot,
  td: HTMLTableCellElement,
  row: number,
  col: number,
  prop: string | number,
  value: unknown,
  cellProperties: CellProperties,
) => void;

export class GridController {
  props: GridProps;
  hot: Hot | null = null;
  #rows: RowState[];
  #columns: GridColumn[] = [];
  #propOfColumn = new Map<string, string>();
  #columnOfProp = new Map<string, GridColumn>();
  #amountColumns: string[] = [];
  #totals = new ColumnTotals([]);
  #batch = new EditBatch();
  #flushQueued = false;
  #refusals = new WeakMap<RowState, Map<string, { text: string; reason: string }>>();
  #pendingRefusals = new Map<string, string>();
  #removing: RowState[] = [];
  #moving: RowState[] = [];
  #clipboard: ClipboardContent | null = null;
  #rowsFromPage: readonly GridRow[];
  #userLocale: NumberLocale;
  #lastSelection: string | null = null;
  #selectionQuiet = false;
  /** Shown amounts by value: scrolling redraws the same few hundred amounts many times. */
  #shown = new Map<bigint, string>();
  #shownBy: ((minor: bigint) => string) | null = null;

  constructor(props: GridProps) {
    registerGridModules();
    this.props = props;
    this.#userLocale = numberLocale(props.locale);
    this.#setColumns(props.columns);
    this.#rowsFromPage = props.rows;
    this.#rows = props.rows.map((row) => this.#stateOf(row));
    this.#resetTotals();
  }

  // ---- Settings ----------------------------------------------------------------

  settings(): GridSettings {
    const { readOnly } = this.props;
    const controller = this;
    return {
      licenseKey: LICENSE_KEY,
      theme: gridTheme(),
      colorScheme: 'light',
      data: this.#rows,
      dataSchema: () => ({ key: null, known: {} }),
      dataDotNotation: false,
      columns: this.#columnSettings(),
      colHeaders: this.#columnTitles(),
      rowHeaders: true,
      fixedColumnsStart: this.#frozenColumnCount(),
      width: '100%',
      height: '100%',
      autoRowSize: false,
      autoColumnSize: false,
      wordWrap: false,
      viewportRowRenderingOffset: 'auto',
      outsideClickDeselects: false,
      enterBeginsEditing: false,
      enterMoves: { row: 1, col: 0 },
      tabMoves: { row: 0, col: 1 },
      autoWrapRow: false,
      autoWrapCol: false,
      allowInsertRow: true,
      allowInsertColumn: false,
      allowRemoveColumn: false,
      undo: true,
      copyPaste: true,
      fillHandle: readOnly ? false : { autoInsertRow: false },
      manualRowMove: !readOnly && !this.props.fixedRows,
      manualColumnResize: true,
      contextMenu: this.#contextMenu(),
      ariaTags: true,
      sanitizer: sanitize,
      // Renderers run during initialisation, before the React wrapper hands the instance over.
      beforeInit(this: Hot) {
        controller.hot = this;
      },
      beforeChange: (changes, source) => this.#beforeChange(changes, source),
      beforeChangeRender: (changes) => this.#countChanges(changes),
      afterChange: (changes, source) => this.#afterChange(changes, source),
      afterSetSourceDataAtCell: (changes) => this.#afterSourceChange(changes),
      beforeCreateRow: (_index, _amount, source) => this.#allowsStructureChange(source),
      afterCreateRow: (index, amount) => this.#afterCreateRow(index, amount),
      beforeRemoveRow: (_index, _amount, physicalRows) => this.#beforeRemoveRow(physicalRows),
      afterRemoveRow: () => this.#afterRemoveRow(),
      beforeRowMove: (rows) => this.#beforeRowMove(rows),
      afterRowMove: (_rows, _finalIndex, _dropIndex, _possible, orderChanged) => this.#afterRowMove(orderChanged),
      beforePaste: (data) => this.#beforePaste(data),
      beforeCopy: (data, coords) => this.#beforeCopy(data, coords),
      afterSelectionEnd: () => this.#reportSelection(),
      afterGetColumnHeaderRenderers(this: Hot, renderers: ((...args: unknown[]) => unknown)[]) {
        renderers.push((column: unknown, th: unknown) =>
          controller.renderTotalsHeader(this, column as number, th as HTMLTableCellElement),
        );
      },
      beforeContextMenuSetItems: (items) => this.#addCellActions(items),
      afterContextMenuShow: (contextMenu) => makeMenuAccessible(contextMenu.menu),
    };
  }

  /** Wires what the settings cannot: the paste listener (for the HTML flavour) and Ctrl+D. */
  attach(hot: Hot): void {
    this.hot = hot;
    hot.rootElement.setAttribute('aria-label', this.props['aria-label']);
    // A focusable presentational element is not allowed inside a treegrid (axe); Handsontable moves
    // focus between cells and its editor, never to this scroll container.
    hot.rootElement.querySelector('.ht_master > .wtHolder')?.removeAttribute('tabindex');
    hot.rootDocument.addEventListener('paste', this.#capturePaste, true);
    hot
      .getShortcutManager()
      .getContext('grid')
      ?.addShortcut({
        keys: [['Control/Meta', 'd']],
        callback: () => this.#fillDown(),
        group: 'gp-grid',
        runOnlyIf: () => !this.props.readOnly && hot.getSelectedRangeActive() !== undefined,
      });
    // Rows can arrive holding refused text (kept across a reload of the page's rows).
    this.#noteRefused();
  }

  /** React's Strict Mode mounts twice: only the instance being torn down is let go. */
  detach(hot: Hot): void {
    hot.rootDocument.removeEventListener('paste', this.#capturePaste, true);
    if (this.hot === hot) this.hot = null;
  }

  // ---- Props from the page -------------------------------------------------------

  update(next: GridProps): void {
    const previous = this.props;
    this.props = next;
    const hot = this.hot;
    if (next.locale !== previous.locale) this.#userLocale = numberLocale(next.locale);
    if (!hot) return;
    if (next['aria-label'] !== previous['aria-label']) hot.rootElement.setAttribute('aria-label', next['aria-label']);
    const columnsChanged = next.columns !== previous.columns && !sameColumns(next.columns, previous.columns);
    if (columnsChanged) this.#setColumns(next.columns);
    if (columnsChanged || next.readOnly !== previous.readOnly || next.totalLabel !== previous.totalLabel) {
      if (columnsChanged) this.#resetTotals();
      hot.updateSettings({
        columns: this.#columnSettings(),
        colHeaders: this.#columnTitles(),
        fixedColumnsStart: this.#frozenColumnCount(),
        fillHandle: next.readOnly ? false : { autoInsertRow: false },
        manualRowMove: !next.readOnly && !next.fixedRows,
        contextMenu: this.#contextMenu(),
      });
    }
    if (next.rows !== this.#rowsFromPage) {
      const applied = this.#applyRows(this.#rowsFromPage, next.rows);
      this.#rowsFromPage = next.rows;
      if (applied) return;
    }
    if (
      next.conflicts !== previous.conflicts ||
      next.markedCells !== previous.markedCells ||
      next.format !== previous.format ||
      next.locale !== previous.locale
    ) {
      hot.render();
    }
  }

  /**
   * Brings the page's rows in. Cells whose value changed since the page's previous rows are written
   * (no undo entry, no report); a cell still showing refused text keeps it. When the rows' keys or
   * order differ from both the grid's and the page's previous ones, someone else inserted, removed
   * or moved rows: the grid reloads in the page's order, keeping the selected cell and scroll
   * position, and its undo history is cleared (its steps name rows by position). Returns whether
   * the grid was rendered.
   */
  #applyRows(previous: readonly GridRow[], next: readonly GridRow[]): boolean {
    const hot = this.hot!;
    const gridKeys = this.#visualStates().map((row) => row.key);
    const nextKeys = next.map((row) => row.key);
    if (
      !sameList(gridKeys, nextKeys) &&
      !sameList(
        previous.map((row) => row.key),
        nextKeys,
      )
    ) {
      this.#reload(next);
      return true;
    }
    const previousByKey = new Map(previous.map((row) => [row.key, row]));
    const physicalByKey = new Map(this.#rows.map((row, index) => [row.key, index]));
    const changes: [number, string, StoredValue][] = [];
    for (const row of next) {
      const before = previousByKey.get(row.key);
      const physical = physicalByKey.get(row.key);
      if (before === row || physical === undefined) continue;
      const state = this.#rows[physical]!;
      for (const column of this.#columns) {
        const value = row.values[column.id] ?? null;
        if (before && sameValue(value, before.values[column.id])) continue;
        state.known[column.id] = value;
        const prop = this.#propOf(column.id);
        const current = state[prop as `c${number}`];
        if (column.kind === 'amount' && typeof current === 'string') continue;
        const entry = this.#enter(column, value);
        if (!sameValue(current, entry.value)) changes.push([physical, prop, entry.value]);
      }
    }
    if (changes.length === 0) return false;
    hot.setSourceDataAtCell(changes, undefined, undefined, PAGE_SOURCE);
    this.#noteRefused();
    return true;
  }

  #reload(rows: readonly GridRow[]): void {
    const hot = this.hot!;
    const selected = this.#selectedCell();
    const firstVisible = this.#visualStates()[Math.max(0, hot.getFirstFullyVisibleRow())]?.key ?? undefined;
    const refused = new Map(this.#rows.map((state) => [state.key, state]));
    this.#rows = rows.map((row) => {
      const state = this.#stateOf(row);
      // Text the person typed that could not be read stays on screen: it was never sent anywhere.
      const before = refused.get(row.key);
      for (const column of before ? this.#columns : []) {
        const text = this.#valueOf(before!, column.id);
        if (column.kind !== 'amount' || typeof text !== 'string') continue;
        state[this.#propOf(column.id) as `c${number}`] = text;
        this.#refuse(state, column.id, text, this.#refusalReason(before!, column, text));
      }
      return state;
    });
    this.#resetTotals();
    this.#noteRefused();
    // Loading moves the selection by position first; only where it ends up is worth reporting.
    this.#selectionQuiet = true;
    try {
      hot.loadData(this.#rows);
      const indexOfKey = new Map(rows.map((row, index) => [row.key, index]));
      const top = firstVisible === undefined ? undefined : indexOfKey.get(firstVisible);
      if (top !== undefined) hot.scrollViewportTo({ row: top, verticalSnap: 'top' });
      const row = selected ? indexOfKey.get(selected.rowKey) : undefined;
      const col = selected ? this.#columns.findIndex((c) => c.id === selected.column) : -1;
      if (row !== undefined && col >= 0) hot.selectCell(row, col, row, col, false, false);
    } finally {
      this.#selectionQuiet = false;
    }
    this.#reportSelection();
  }

  // ---- Columns -----------------------------------------------------------------------

  #setColumns(columns: readonly GridColumn[]): void {
    this.#columns = [...columns];
    this.#columnOfProp.clear();
    for (const column of columns) this.#columnOfProp.set(this.#propOf(column.id), column);
    this.#amountColumns = columns.filter((c) => c.kind === 'amount').map((c) => c.id);
    this.#totals = new ColumnTotals(this.#amountColumns);
  }

  /** Column ids may hold dots or colons; Handsontable's props may not, so each id gets `c<n>`. */
  #propOf(columnId: string): string {
    let prop = this.#propOfColumn.get(columnId);
    if (!prop) {
      prop = `c${this.#propOfColumn.size}`;
      this.#propOfColumn.set(columnId, prop);
    }
    return prop;
  }

  #columnSettings(): ColumnSettings[] {
    const readOnlyGrid = !!this.props.readOnly;
    const settings: ColumnSettings[] = this.#columns.map((column) => {
      const readOnly = readOnlyGrid || !!column.readOnly;
      return {
        data: this.#propOf(column.id),
        width: column.width ?? (column.kind === 'amount' ? 116 : 240),
        readOnly,
        editor: readOnly ? false : this.#editor,
        renderer: column.kind === 'amount' ? this.#renderAmount : this.#renderText,
        className: column.kind === 'amount' ? 'htRight gp-grid__amount' : 'gp-grid__text',
        headerClassName: column.kind === 'amount' ? 'htRight' : undefined,
        readOnlyCellClassName: 'gp-grid__cell--read-only',
      } as ColumnSettings;
    });
    if (this.#amountColumns.length > 0 && this.props.totals !== false) {
      settings.push({
        data: '__total',
        width: 132,
        readOnly: true,
        editor: false,
        renderer: this.#renderRowTotal,
        className: 'htRight gp-grid__amount gp-grid__row-total',
        headerClassName: 'htRight',
        readOnlyCellClassName: 'gp-grid__cell--total',
      } as ColumnSettings);
    }
    return settings;
  }

  #columnTitles(): string[] {
    const titles = this.#columns.map((c) => c.title);
    if (this.#amountColumns.length > 0 && this.props.totals !== false) titles.push(this.#totalLabel());
    return titles;
  }

  #totalLabel(): string {
    return this.props.totalLabel ?? 'Total';
  }

  /** The leading text columns (the line's names) stay in view while the periods scroll. */
  #frozenColumnCount(): number {
    const firstAmount = this.#columns.findIndex((c) => c.kind !== 'text');
    return firstAmount === -1 ? 0 : firstAmount;
  }

  #columnAt(visualColumn: number): GridColumn | undefined {
    return this.#columns[visualColumn];
  }

  // ---- Rows ----------------------------------------------------------------------------

  #stateOf(row: GridRow): RowState {
    const state: RowState = { key: row.key, known: {} };
    for (const column of this.#columns) {
      const value = row.values[column.id] ?? null;
      state.known[column.id] = value;
      const entry = this.#enter(column, value);
      state[this.#propOf(column.id) as `c${number}`] = entry.value;
      if (entry.refused && typeof entry.value === 'string') this.#refuse(state, column.id, entry.value, entry.refused);
    }
    return state;
  }

  #rowAt(visualRow: number, hot: Hot = this.hot!): RowState | undefined {
    return this.#rows[hot.toPhysicalRow(visualRow)];
  }

  #visualStates(): RowState[] {
    const hot = this.hot!;
    const states: RowState[] = [];
    for (let row = 0, count = hot.countRows(); row < count; row++) states.push(this.#rows[hot.toPhysicalRow(row)]!);
    return states;
  }

  #valueOf(state: RowState, columnId: string): StoredValue | undefined {
    return state[this.#propOf(columnId) as `c${number}`];
  }

  #resetTotals(): void {
    this.#totals.reset(this.#rows.map((state) => (column: string) => this.#valueOf(state, column)));
  }

  // ---- Reading input --------------------------------------------------------------------

  #reader(): AmountReader {
    const { parseAmount, fromRaw, editText, format } = this.props;
    return { parseAmount, fromRaw, amountText: editText ?? format, userLocale: this.#userLocale };
  }

  #enter(column: GridColumn, input: unknown) {
    const value = input as Parameters<typeof enterAmount>[0];
    return column.kind === 'amount' ? enterAmount(value, this.#reader()) : enterText(value, this.#reader());
  }

  #refuse(state: RowState, columnId: string, text: string, reason: string): void {
    let refusals = this.#refusals.get(state);
    if (!refusals) {
      refusals = new Map();
      this.#refusals.set(state, refusals);
    }
    refusals.set(columnId, { text, reason });
  }

  #refusalReason(state: RowState, column: GridColumn, text: string): string {
    const noted = this.#refusals.get(state)?.get(column.id);
    if (noted && noted.text === text) return noted.reason;
    return this.#enter(column, text).refused ?? '';
  }

  /** Typed, pasted, filled and undone input becomes stored values here, before Handsontable stores it. */
  #beforeChange(changes: (HotCellChange | null)[], source: string): void {
    if (source === PAGE_SOURCE) return;
    const replaying = source === 'UndoRedo.undo' || source === 'UndoRedo.redo';
    for (let i = 0; i < changes.length; i++) {
      const change = changes[i];
      if (!change) continue;
      const [row, prop, before, input] = change;
      const column = this.#columnOfProp.get(String(prop));
      if (!column || (!replaying && (column.readOnly || this.props.readOnly))) {
        // Undo must replay every change it recorded, or its completion callback never runs.
        if (!replaying) changes[i] = null;
        continue;
      }
      const entry = this.#enter(column, input);
      change[3] = entry.value;
      if (entry.refused) this.#pendingRefusals.set(`${row}:${prop}`, entry.refused);
      if (!replaying && sameValue(before, entry.value)) changes[i] = null;
    }
  }

  #countChanges(changes: HotCellChange[]): void {
    for (const [, prop, before, after] of changes) {
      const column = this.#columnOfProp.get(String(prop));
      if (column) this.#totals.change(column.id, before, after);
    }
  }

  #afterChange(changes: HotCellChange[] | null, source: string): void {
    if (!changes || source === 'loadData' || source === 'updateData' || source === PAGE_SOURCE) return;
    for (const [row, prop, , value] of changes) {
      const column = this.#columnOfProp.get(String(prop));
      const state = this.#rowAt(row);
      if (!column || !state) continue;
      const refusal = this.#pendingRefusals.get(`${row}:${prop}`);
      if (column.kind === 'amount' && typeof value === 'string') {
        this.#refuse(state, column.id, value, refusal ?? this.#refusalReason(state, column, value));
        continue;
      }
      this.#batch.cellChanged(state, column.id, (value ?? null) as CellValue);
    }
    this.#pendingRefusals.clear();
    this.#queueReport();
  }

  #afterSourceChange(changes: HotCellChange[]): void {
    for (const [physical, prop, before, after] of changes) {
      const column = this.#columnOfProp.get(String(prop));
      if (column) {
        this.#totals.change(column.id, before, after);
      } else if (prop === 'known') {
        // A row brought back by undo shares this object with the undo step; copy it before it changes.
        const state = this.#rows[Number(physical)];
        if (state) state.known = { ...(after as Record<string, CellValue>) };
      }
    }
  }

  #allowsStructureChange(source: string | undefined): boolean {
    if (this.props.fixedRows) return false;
    return !this.props.readOnly || source === 'UndoRedo.undo' || source === 'UndoRedo.redo';
  }

  #afterCreateRow(index: number, amount: number): void {
    const created: RowState[] = [];
    for (let row = index; row < index + amount; row++) {
      const state = this.#rowAt(row);
      if (!state) continue;
      // Undoing a deletion writes the row's old key and values into these rows right after.
      state.key ??= this.props.newRowKey();
      state.known = Object.fromEntries(this.#columns.map((column) => [column.id, null]));
      created.push(state);
    }
    this.#batch.rowsInserted(created);
    this.#queueReport();
  }

  #beforeRemoveRow(physicalRows: number[]): void {
    this.#removing = physicalRows.flatMap((physical) => this.#rows[physical] ?? []);
  }

  #afterRemoveRow(): void {
    for (const state of this.#removing) {
      for (const column of this.#amountColumns) this.#totals.change(column, this.#valueOf(state, column), null);
    }
    this.#batch.rowsRemoved(this.#removing);
    this.#removing = [];
    this.#queueReport();
  }

  #beforeRowMove(visualRows: number[]): boolean | undefined {
    if (this.props.readOnly || this.props.fixedRows) return false;
    this.#moving = visualRows.flatMap((row) => this.#rowAt(row) ?? []);
    return undefined;
  }

  #afterRowMove(orderChanged: boolean): void {
    const moved = this.#moving;
    this.#moving = [];
    if (!orderChanged || moved.length === 0) return;
    const toIndex = this.#visualStates().indexOf(moved[0]!);
    this.#batch.rowsMoved(
      moved.flatMap((state) => (state.key === null ? [] : [state.key])),
      toIndex,
    );
    this.#queueReport();
  }

  // ---- Reporting ----------------------------------------------------------------------------

  /** One report per user action: Handsontable fires all of an action's hooks in one task. */
  #queueReport(): void {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    queueMicrotask(() => {
      this.#flushQueued = false;
      this.#noteRefused();
      this.#report();
    });
  }

  #refusedCells = 0;

  /** Tells the page how many amount cells hold refused text, when that changes (typed, pasted, undone, removed). */
  #noteRefused(): void {
    if (!this.props.onRefusedCellsChange) return;
    let count = 0;
    for (const state of this.#rows) {
      for (const column of this.#amountColumns) if (typeof this.#valueOf(state, column) === 'string') count++;
    }
    if (count === this.#refusedCells) return;
    this.#refusedCells = count;
    this.props.onRefusedCellsChange(count);
  }

  #report(): void {
    if (!this.hot || this.#batch.isEmpty()) return;
    let positions: Map<RowState, number> | null = null;
    const report = this.#batch.take((state) => {
      positions ??= new Map(this.#visualStates().map((s, index) => [s, index]));
      return positions.get(state) ?? -1;
    });
    for (const inserted of report.inserted) this.props.onRowsInserted?.(inserted);
    if (report.changes.length > 0) this.props.onChange?.(report.changes);
    if (report.removed) this.props.onRowsRemoved?.(report.removed);
    for (const moved of report.moved) this.props.onRowsMoved?.(moved);
  }

  #selectedCell(): CellRef | null {
    const hot = this.hot;
    const highlight = hot?.getSelectedRangeActive()?.highlight;
    if (!hot || !highlight || highlight.row === null || highlight.col === null || highlight.row < 0) return null;
    const column = this.#columnAt(highlight.col);
    const key = this.#rowAt(highlight.row)?.key;
    return column && key ? { rowKey: key, column: column.id } : null;
  }

  #reportSelection(): void {
    if (this.#selectionQuiet) return;
    const cell = this.#selectedCell();
    const id = cell ? cellId(cell.rowKey, cell.column) : null;
    if (id === this.#lastSelection) return;
    this.#lastSelection = id;
    this.props.onSelectionChange?.(cell);
  }

  // ---- Clipboard -----------------------------------------------------------------------------

  /** Handsontable's beforePaste gets parsed text only; the HTML flavour is read from the event here. */
  #capturePaste = (event: ClipboardEvent): void => {
    const data = event.clipboardData;
    if (!data) return;
    this.#clipboard = { text: data.getData('text/plain'), html: data.getData('text/html') };
    setTimeout(() => {
      this.#clipboard = null;
    });
  };

  #beforePaste(data: unknown[][]): false {
    const content = this.#clipboard;
    this.#clipboard = null;
    if (this.props.readOnly) return false;
    const cells: ClipboardCell[][] = content
      ? readClipboard(content)
      : data.map((row) =>
          row.map((value) =>
            value === null || value === undefined || value === ''
              ? { kind: 'empty' }
              : { kind: 'text', text: String(value) },
          ),
        );
    this.#paste(cells);
    return false;
  }

  /**
   * Pastes as Excel does: at the selection's top-left corner, repeated across the selection when
   * the selection is a whole multiple of the copied block. Rows below the last one are created
   * (reported as inserted rows, with their values); columns past the last one are dropped.
   */
  #paste(cells: ClipboardCell[][]): void {
    const hot = this.hot!;
    const range = hot.getSelectedRangeActive();
    const height = cells.length;
    const width = cells[0]?.length ?? 0;
    if (!range || height === 0 || width === 0) return;
    const start = range.getTopStartCorner();
    const end = range.getBottomEndCorner();
    const top = Math.max(0, start.row ?? 0);
    const left = Math.max(0, start.col ?? 0);
    const selectedHeight = (end.row ?? top) - top + 1;
    const selectedWidth = (end.col ?? left) - left + 1;
    const down = selectedHeight > height && selectedHeight % height === 0 ? selectedHeight / height : 1;
    const across = selectedWidth > width && selectedWidth % width === 0 ? selectedWidth / width : 1;
    const lastColumn = this.#columns.length - 1;
    const lastRow = this.props.fixedRows ? hot.countRows() - 1 : Number.POSITIVE_INFINITY;
    const changes: [number, number, ClipboardCell][] = [];
    for (let r = 0; r < height * down && top + r <= lastRow; r++) {
      for (let c = 0; c < width * across; c++) {
        const col = left + c;
        if (col > lastColumn) break;
        if (this.#columns[col]!.readOnly) continue;
        changes.push([top + r, col, cells[r % height]![c % width]!]);
      }
    }
    if (changes.length === 0) return;
    hot.setDataAtCell(changes, null, null, 'CopyPaste.paste');
    hot.selectCell(top, left, top + height * down - 1, Math.min(left + width * across - 1, lastColumn), false);
  }

  /** Copies what the cells show, with amounts as `editText` writes them so a paste reads them back. */
  #beforeCopy(
    data: unknown[][],
    ranges: { startRow: number; startCol: number; endRow: number; endCol: number }[],
  ): void {
    const rows = uniqueSorted(ranges.flatMap((r) => span(r.startRow, r.endRow)));
    const cols = uniqueSorted(ranges.flatMap((r) => span(r.startCol, r.endCol)));
    const amountText = this.#reader().amountText;
    rows.forEach((row, i) => {
      const state = row >= 0 ? this.#rowAt(row) : undefined;
      cols.forEach((col, j) => {
        if (!state || !data[i]) return;
        const column = this.#columnAt(col);
        const value = column ? this.#valueOf(state, column.id) : this.#rowTotal(state);
        data[i]![j] = typeof value === 'bigint' ? amountText(value) : (value ?? '');
      });
    });
  }

  #fillDown(): void {
    const hot = this.hot!;
    const range = hot.getSelectedRangeActive();
    if (!range) return;
    const start = range.getTopStartCorner();
    const end = range.getBottomEndCorner();
    const top = Math.max(0, start.row ?? 0);
    const bottom = end.row ?? top;
    // Like Excel: a one-row selection takes the row above, a taller one copies its first row down.
    const sourceRow = bottom === top ? top - 1 : top;
    if (sourceRow < 0) return;
    const changes: [number, number, StoredValue][] = [];
    for (let col = Math.max(0, start.col ?? 0); col <= (end.col ?? 0); col++) {
      const column = this.#columnAt(col);
      if (!column || column.readOnly) continue;
      const value = this.#valueOf(this.#rowAt(sourceRow)!, column.id) ?? null;
      for (let row = sourceRow + 1; row <= bottom; row++) changes.push([row, col, value]);
    }
    if (changes.length > 0) hot.setDataAtCell(changes, null, null, 'Autofill.fill');
  }

  // ---- Context menu -------------------------------------------------------------------------

  #contextMenu(): GridSettings['contextMenu'] {
    if (this.props.readOnly) return { items: { copy: {} } };
    if (this.props.fixedRows)
      return { items: { copy: {}, cut: {}, gp_separator_2: MENU_SEPARATOR, undo: {}, redo: {} } };
    return {
      items: {
        row_above: {},
        row_below: {},
        remove_row: {},
        gp_move_up: {
          name: 'Move row up',
          disabled: () => this.#selectedRows()[0] === 0,
          callback: () => this.#moveSelectedRows(-1),
        },
        gp_move_down: {
          name: 'Move row down',
          disabled: () => {
            const rows = this.#selectedRows();
            return rows.length === 0 || rows.at(-1)! >= (this.hot?.countRows() ?? 0) - 1;
          },
          callback: () => this.#moveSelectedRows(1),
        },
        gp_separator_1: MENU_SEPARATOR,
        copy: {},
        cut: {},
        gp_separator_2: MENU_SEPARATOR,
        undo: {},
        redo: {},
      },
    };
  }

  /** Conflict choices and the page's own cell actions, built when the menu opens. */
  #addCellActions(items: unknown[]): void {
    const cell = this.#selectedCell();
    if (!cell) return;
    const id = cellId(cell.rowKey, cell.column);
    const added: object[] = [];
    if (this.#conflictOf(id) && this.props.onResolveConflict) {
      added.push(
        { key: 'gp_keep_mine', name: 'Keep mine', callback: () => this.props.onResolveConflict?.(id, 'mine') },
        { key: 'gp_take_theirs', name: 'Take theirs', callback: () => this.props.onResolveConflict?.(id, 'theirs') },
      );
    }
    for (const action of this.props.onCellContextAction ? (this.props.cellActions ?? []) : []) {
      added.push({
        key: `gp_action_${action.id}`,
        name: action.label,
        callback: () => this.props.onCellContextAction?.(action.id, cell),
      });
    }
    if (added.length > 0) items.push(MENU_SEPARATOR, ...added);
  }

  #selectedRows(): number[] {
    const range = this.hot?.getSelectedRangeActive();
    if (!range) return [];
    const top = Math.max(0, range.getTopStartCorner().row ?? 0);
    return span(top, range.getBottomEndCorner().row ?? top);
  }

  #moveSelectedRows(by: -1 | 1): void {
    const hot = this.hot!;
    const rows = this.#selectedRows();
    if (rows.length === 0) return;
    const target = rows[0]! + by;
    if (target < 0 || rows.at(-1)! + by >= hot.countRows()) return;
    const range = hot.getSelectedRangeActive()!;
    const left = range.getTopStartCorner().col ?? 0;
    const right = range.getBottomEndCorner().col ?? left;
    hot.getPlugin('manualRowMove').moveRows(rows, target);
    hot.render();
    hot.selectCell(target, left, target + rows.length - 1, right);
  }

  // ---- Rendering ----------------------------------------------------------------------------

  #conflictsSeen: GridProps['conflicts'] | null = null;
  #conflictsPresent = false;

  /** Asked for every drawn cell, so a Record's keys are counted once per new `conflicts` prop. */
  #hasConflicts(): boolean {
    const conflicts = this.props.conflicts;
    if (conflicts !== this.#conflictsSeen) {
      this.#conflictsSeen = conflicts;
      this.#conflictsPresent =
        conflicts instanceof Map ? conflicts.size > 0 : !!conflicts && Object.keys(conflicts).length > 0;
    }
    return this.#conflictsPresent;
  }

  #conflictOf(id: CellId): CellConflict | undefined {
    const conflicts = this.props.conflicts;
    if (!conflicts) return undefined;
    return conflicts instanceof Map ? conflicts.get(id) : (conflicts as Record<CellId, CellConflict>)[id];
  }

  #format(minor: bigint): string {
    const format = this.props.format;
    if (this.#shownBy !== format || this.#shown.size > 50_000) {
      this.#shown.clear();
      this.#shownBy = format;
    }
    let text = this.#shown.get(minor);
    if (text === undefined) {
      text = format(minor);
      this.#shown.set(minor, text);
    }
    return text;
  }

  #show(value: CellValue): string {
    if (typeof value === 'bigint') return this.#format(value);
    return value === null || value === '' ? '(empty)' : value;
  }

  #rowTotal(state: RowState): bigint {
    return rowTotal(this.#amountColumns, (column) => this.#valueOf(state, column));
  }

  /** Marks shared by every cell: a conflict (amber, with both values), a corner marker, the tooltip. */
  #decorate(td: HTMLTableCellElement, state: RowState | undefined, column: GridColumn, tooltip: string): void {
    const { markedCells } = this.props;
    let title = tooltip;
    const hasConflicts = this.#hasConflicts();
    if (state?.key && (hasConflicts || (markedCells && markedCells.size > 0))) {
      const id = cellId(state.key, column.id);
      const conflict = hasConflicts ? this.#conflictOf(id) : undefined;
      if (conflict) {
        td.classList.add('gp-grid__cell--conflict');
        const note = `Changed by someone else: ${this.#show(conflict.theirs)}; yours: ${this.#show(conflict.mine)}`;
        title = title ? `${title}\n${note}` : note;
      }
      if (markedCells?.has(id)) td.classList.add('gp-grid__cell--marked');
    }
    if (title) td.title = title;
    else td.removeAttribute('title');
  }

  #renderAmount: Renderer = (hot, td, row, col, prop, value, cellProperties) => {
    baseRenderer(hot, td, row, col, prop, value, cellProperties);
    const column = this.#columnOfProp.get(String(prop))!;
    const state = this.#rowAt(row, hot);
    let tooltip = '';
    if (typeof value === 'bigint') {
      td.textContent = this.#format(value);
      td.removeAttribute('aria-invalid');
    } else if (typeof value === 'string') {
      td.textContent = value;
      td.classList.add('gp-grid__cell--refused');
      td.setAttribute('aria-invalid', 'true');
      tooltip = state ? this.#refusalReason(state, column, value) : '';
    } else {
      td.textContent = '';
      td.removeAttribute('aria-invalid');
    }
    this.#decorate(td, state, column, tooltip);
  };

  #renderText: Renderer = (hot, td, row, col, prop, value, cellProperties) => {
    baseRenderer(hot, td, row, col, prop, value, cellProperties);
    td.textContent = typeof value === 'string' ? value : '';
    this.#decorate(td, this.#rowAt(row, hot), this.#columnOfProp.get(String(prop))!, '');
  };

  #renderRowTotal: Renderer = (hot, td, row, col, prop, value, cellProperties) => {
    baseRenderer(hot, td, row, col, prop, value, cellProperties);
    const state = this.#rowAt(row, hot);
    td.textContent = state ? this.#format(this.#rowTotal(state)) : '';
  };

  /** The totals row, drawn as a second header row so it stays in view and outside the data. */
  renderTotalsHeader(hot: Hot, renderedColumn: number, th: HTMLTableCellElement): void {
    if (this.props.totals === false) {
      th.className = 'gp-grid__totals';
      th.replaceChildren();
      return;
    }
    const visual =
      renderedColumn >= 0 ? hot.columnIndexMapper.getVisualFromRenderableIndex(renderedColumn) : renderedColumn;
    let text = '';
    let amount = false;
    if (visual !== null && visual >= 0) {
      const column = this.#columnAt(visual);
      if (!column) {
        text = this.props.format(this.#totals.grand());
        amount = true;
      } else if (column.kind === 'amount') {
        text = this.props.format(this.#totals.of(column.id));
        amount = true;
      } else if (visual === 0) {
        text = this.#totalLabel();
      }
    } else if (this.#columns[0]?.kind !== 'text') {
      text = this.#totalLabel();
    }
    th.className = amount ? 'gp-grid__totals gp-grid__totals--amount' : 'gp-grid__totals';
    const existing = th.firstElementChild;
    const label = existing?.classList.contains('gp-grid__totals-value')
      ? existing
      : hot.rootDocument.createElement('div');
    if (label !== existing) {
      label.className = 'gp-grid__totals-value';
      th.replaceChildren(label);
    }
    label.textContent = text;
  }

  // ---- Editing ------------------------------------------------------------------------------

  /** The text an editor opens with: an amount as `editText` writes it, refused text as typed. */
  editText(value: unknown): string {
    if (typeof value === 'bigint') return this.#reader().amountText(value);
    return typeof value === 'string' ? value : '';
  }

  #editor = editorFor(this);

  // ---- Handle ---------------------------------------------------------------------------------

  handle(): GridHandle {
    return {
      focus: () => {
        const hot = this.hot;
        if (!hot) return;
        if (!hot.getSelectedRangeActive() && hot.countRows() > 0) hot.selectCell(0, 0);
        hot.listen();
      },
      selectCell: (cell) => {
        const hot = this.hot;
        if (!hot) return;
        const row = this.#visualStates().findIndex((state) => state.key === cell.rowKey);
        const col = this.#columns.findIndex((column) => column.id === cell.column);
        if (row >= 0 && col >= 0) hot.selectCell(row, col);
      },
      insertRows: (index, count) => {
        const hot = this.hot;
        if (!hot || this.props.readOnly || this.props.fixedRows || count < 1) return;
        const at = Math.min(Math.max(0, index), hot.countRows());
        hot.alter('insert_row_above', at, count);
        // The first new row's first cell, with the keyboard in the grid: typing fills it at once.
        hot.selectCell(at, 0);
        hot.listen();
      },
    };
  }
}

/**
 * Handsontable draws its context menu as a grid of cells under role="menu": the items' table and
 * its focusable scroll container would sit between the menu and its menuitems, and the item under
 * the keyboard gets aria-selected, which menuitems may not have; axe refuses all three.
 */
function makeMenuAccessible(menu: { container: HTMLElement; hotMenu: HotInstance | null } | null): void {
  if (!menu?.container) return;
  const { container } = menu;
  for (const holder of container.querySelectorAll('.wtHolder[tabindex]')) holder.removeAttribute('tabindex');
  const tidy = () => {
    for (const table of container.querySelectorAll('table')) table.setAttribute('role', 'presentation');
    for (const item of container.querySelectorAll('[role="menuitem"][aria-selected]'))
      item.removeAttribute('aria-selected');
  };
  tidy();
  menu.hotMenu?.addHook('afterRender', tidy);
}

/**
 * The grid reads pasted HTML itself (clipboard-html.ts) without building DOM from it, so
 * Handsontable gets none; column titles come from the page's data and are shown as text.
 */
function sanitize(html: string, context: string): string {
  if (context === 'CopyPaste.paste' || context === 'CopyPaste.paste.sourceData') return '';
  if (context === 'header') return html.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return html;
}

function editorFor(controller: GridController) {
  return class GridCellEditor extends TextEditor {
    /**
     * The editor sits inside the grid's treegrid; axe (which the app runs on every page) accepts it
     * there only as a row holding a gridcell, and wants the text box named.
     */
    override createElements(type?: string): void {
      super.createElements(type);
      const cell = this.hot.rootDocument.createElement('div');
      cell.setAttribute('role', 'gridcell');
      cell.style.display = 'contents';
      this.TEXTAREA_PARENT.setAttribute('role', 'row');
      this.TEXTAREA_PARENT.replaceChild(cell, this.TEXTAREA);
      cell.append(this.TEXTAREA);
      this.TEXTAREA.setAttribute('aria-label', 'Cell value');
    }

    override beginEditing(initialValue?: unknown, event?: Event): void {
      super.beginEditing(
        typeof initialValue === 'string' ? initialValue : controller.editText(this.originalValue),
        event,
      );
    }

    /** Handsontable refreshes an open editor when any data changes; the person's typing must stay. */
    override refreshValue(): void {
      if (this.isOpened()) this.refreshDimensions();
    }
  };
}

function span(from: number, to: number): number[] {
  const lo = Math.min(from, to);
  return Array.from({ length: Math.abs(to - from) + 1 }, (_, i) => lo + i);
}

function uniqueSorted(values: number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

function sameColumns(a: readonly GridColumn[], b: readonly GridColumn[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (column, i) =>
        column.id === b[i]!.id &&
        column.title === b[i]!.title &&
        column.kind === b[i]!.kind &&
        column.readOnly === b[i]!.readOnly &&
        column.width === b[i]!.width,
    )
  );
}
