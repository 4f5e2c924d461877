import { HotTable, type HotTableRef } from '@handsontable/react-wrapper';
import type { GridSettings } from 'handsontable/base';
import {
  memo,
  type Ref,
  type RefObject,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { GridController, type GridHandle, type GridProps } from './grid-controller.ts';

export interface GridComponentProps extends GridProps {
  ref?: Ref<GridHandle>;
  /** Height of the grid; it scrolls inside. Default: 100% of its container. */
  height?: number | string;
  className?: string;
}

/**
 * The spreadsheet grid of budgets and forecasts (Handsontable): frozen title row and text
 * columns, live totals, Excel-like keys, paste from Excel, Google Sheets and LibreOffice, undo.
 * It is data-agnostic: amounts are read and shown through the functions the page passes.
 * Handsontable is mounted once; later props flow into it without reloading (see GridController).
 */
export function Grid({ ref, height = '100%', className, ...props }: GridComponentProps) {
  const [controller] = useState(() => new GridController(props));
  const [settings] = useState(() => controller.settings());
  const hotRef = useRef<HotTableRef>(null);

  useLayoutEffect(() => {
    controller.update(props);
  });

  useEffect(() => {
    const hot = hotRef.current?.hotInstance;
    if (!hot) return;
    controller.attach(hot);
    return () => controller.detach(hot);
  }, [controller]);

  useImperativeHandle(ref, () => controller.handle(), [controller]);

  return (
    <div className={className ? `gp-grid ${className}` : 'gp-grid'} style={{ height }}>
      <GridSurface settings={settings} hotRef={hotRef} />
    </div>
  );
}

/** Never re-renders: the React wrapper would otherwise push every prop back into Handsontable. */
const GridSurface = memo(function GridSurface({
  settings,
  hotRef,
}: {
  settings: GridSettings;
  hotRef: RefObject<HotTableRef | null>;
}) {
  return <HotTable ref={hotRef} className="gp-grid__table" {...(settings as object)} />;
});
