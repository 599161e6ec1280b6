import type { ScanProgress } from '../scan.js';
import type { Writable } from './io.js';

const DELAY_MS = 400;
const INTERVAL_MS = 100;

const PHASE_LABEL: Record<ScanProgress['phase'], string> = {
  discover: 'discovering files',
  analyze: 'analysing',
  project: 'linking files (project rules)',
};

/** A one-line progress display on a terminal's stderr, shown only when a scan takes a while. */
export class ProgressLine {
  private readonly stream: Writable;
  private readonly started = Date.now();
  private lastDraw = 0;
  private drawn = false;

  constructor(stream: Writable) {
    this.stream = stream;
  }

  update(progress: ScanProgress): void {
    const now = Date.now();
    if (now - this.started < DELAY_MS || now - this.lastDraw < INTERVAL_MS) return;
    this.lastDraw = now;
    const count = progress.total > 0 ? ` ${progress.done}/${progress.total} files` : '';
    // A pseudo-terminal without a size reports 0 columns.
    const width = this.stream.columns ? this.stream.columns - 1 : 79;
    const line = `authlint: ${PHASE_LABEL[progress.phase]}${count}${progress.file ? `  ${progress.file}` : ''}`;
    this.stream.write(`\r\u001b[K${line.slice(0, Math.max(20, width))}`);
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) this.stream.write('\r\u001b[K');
    this.drawn = false;
  }
}
