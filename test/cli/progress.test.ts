import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProgressLine } from '../../src/cli/progress.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('progress line', () => {
  it('stays silent for short scans, then draws phase and files done of total, and erases itself', () => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
    let written = '';
    const progress = new ProgressLine({ write: (s: string) => (written += s), isTTY: true, columns: 80 });
    progress.update({ phase: 'analyze', done: 1, total: 300, file: 'src/a.ts' });
    expect(written).toBe('');
    vi.setSystemTime(1000);
    progress.update({ phase: 'analyze', done: 120, total: 300, file: 'src/orders/controller.ts' });
    expect(written).toBe('\r\u001b[Kauthlint: analysing 120/300 files  src/orders/controller.ts');
    vi.setSystemTime(1010);
    progress.update({ phase: 'analyze', done: 121, total: 300 });
    expect(written).not.toContain('121');
    progress.clear();
    expect(written.endsWith('\r\u001b[K')).toBe(true);
  });

  it('never draws wider than the terminal', () => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
    let written = '';
    const progress = new ProgressLine({ write: (s: string) => (written += s), isTTY: true, columns: 40 });
    vi.setSystemTime(5000);
    progress.update({ phase: 'project', done: 3, total: 3, file: `src/${'deep/'.repeat(20)}file.ts` });
    expect(written.replace('\r\u001b[K', '').length).toBe(39);
  });
});
