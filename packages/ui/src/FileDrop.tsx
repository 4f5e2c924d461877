import { type DragEvent, type ReactNode, useId, useRef, useState } from 'react';

export interface FileDropProps {
  /** The file input's label, e.g. "Budget file". */
  label: string;
  /** What the input accepts, e.g. ".xlsx,.csv,.json". */
  accept: string;
  /** The chosen file, shown in the zone. */
  file: File | null;
  onFile: (file: File | null) => void;
  /** Help under the zone (formats, size limit). */
  hint?: ReactNode;
  disabled?: boolean;
}

/**
 * A file chooser people can also drop a file on, as desktop apps allow: a real, labelled
 * `<input type="file">` (keyboard and screen readers use it as they would any other), inside a zone
 * that takes a dropped file and says which file is chosen.
 */
export function FileDrop({ label, accept, file, onFile, hint, disabled }: FileDropProps) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    if (disabled) return;
    const dropped = e.dataTransfer.files[0];
    if (dropped) {
      if (input.current) input.current.value = '';
      onFile(dropped);
    }
  };
  return (
    <div className="gp-field">
      <label htmlFor={id}>{label}</label>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: dropping is the mouse's shortcut; the input inside is the way for everyone else. */}
      <div
        className={`gp-drop${over ? ' gp-drop--over' : ''}${disabled ? ' gp-drop--disabled' : ''}`}
        data-testid="file-drop"
        onDragOver={(e) => {
          e.preventDefault();
          if (!disabled) setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <input
          ref={input}
          id={id}
          type="file"
          accept={accept}
          disabled={disabled}
          aria-describedby={hint ? `${id}-hint` : undefined}
          onChange={(e) => onFile(e.target.files?.[0] ?? null)}
        />
        <div className="gp-drop__text" aria-live="polite">
          {file ? (
            <>
              Chosen: <strong>{file.name}</strong>
            </>
          ) : (
            <span className="gp-muted">or drop a file here</span>
          )}
        </div>
      </div>
      {hint ? (
        <div id={`${id}-hint`} className="gp-field__hint">
          {hint}
        </div>
      ) : null}
    </div>
  );
}
