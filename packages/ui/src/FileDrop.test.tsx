import { fireEvent, render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { FileDrop } from './FileDrop.tsx';

function Harness({ onFile, disabled }: { onFile: (f: File | null) => void; disabled?: boolean }) {
  const [file, setFile] = useState<File | null>(null);
  return (
    <FileDrop
      label="Budget file"
      accept=".xlsx,.csv"
      file={file}
      disabled={disabled}
      hint="Excel or CSV, up to 20 MB."
      onFile={(f) => {
        setFile(f);
        onFile(f);
      }}
    />
  );
}

describe('FileDrop', () => {
  it('is a labelled file input with its hint, and names the chosen file', async () => {
    const onFile = vi.fn();
    render(<Harness onFile={onFile} />);
    const input = screen.getByLabelText('Budget file') as HTMLInputElement;
    expect(input.type).toBe('file');
    expect(input.accept).toBe('.xlsx,.csv');
    expect(document.getElementById(input.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'Excel or CSV, up to 20 MB.',
    );
    const file = new File(['a,b'], 'plan.csv', { type: 'text/csv' });
    await userEvent.upload(input, file);
    expect(onFile).toHaveBeenCalledWith(file);
    expect(screen.getByText('plan.csv').closest('div')?.textContent).toBe('Chosen: plan.csv');
  });

  it('takes a dropped file, unless disabled', () => {
    const onFile = vi.fn();
    const { rerender } = render(<Harness onFile={onFile} />);
    const file = new File(['{}'], 'plan.json', { type: 'application/json' });
    const zone = screen.getByTestId('file-drop');
    fireEvent.dragOver(zone, { dataTransfer: { files: [file] } });
    expect(zone.className).toContain('gp-drop--over');
    fireEvent.drop(zone, { dataTransfer: { files: [file] } });
    expect(onFile).toHaveBeenCalledWith(file);
    expect(zone.className).not.toContain('gp-drop--over');

    onFile.mockClear();
    rerender(<Harness onFile={onFile} disabled />);
    fireEvent.drop(screen.getByTestId('file-drop'), { dataTransfer: { files: [file] } });
    expect(onFile).not.toHaveBeenCalled();
  });
});
