import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ProgressDisplay, percentOf } from './ProgressDisplay.tsx';

describe('percentOf', () => {
  it('rounds and bounds the share', () => {
    expect(percentOf(0, 0)).toBe(0);
    expect(percentOf(1, 3)).toBe(33);
    expect(percentOf(5, 4)).toBe(100);
    expect(percentOf(-1, 4)).toBe(0);
  });
});

describe('ProgressDisplay', () => {
  it('is a named progress bar with its value, and spells the numbers out', () => {
    render(<ProgressDisplay label="Import progress" value={250} max={1000} state="Running" />);
    const bar = screen.getByRole('progressbar', { name: 'Import progress' }) as HTMLProgressElement;
    expect(bar.getAttribute('aria-valuenow')).toBe('250');
    expect(bar.getAttribute('aria-valuemax')).toBe('1000');
    expect(bar.value).toBe(250);
    expect(bar.max).toBe(1000);
    expect(screen.getByText('Running')).toBeTruthy();
    expect(screen.getByText('250 of 1,000 rows · 25%')).toBeTruthy();
  });

  it('never reports more than the maximum', () => {
    render(<ProgressDisplay label="Import progress" value={12} max={10} />);
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('10');
    expect(screen.getByText('10 of 10 rows · 100%')).toBeTruthy();
  });
});
