import { SingleBar } from 'cli-progress';
import type { ProgressEvent } from '@ledger/application';

/** A progress bar on stderr when it is a terminal; silent otherwise (CI, pipes, tests). */
export class TerminalProgress {
  private bar: SingleBar | undefined;
  private readonly enabled = process.stderr.isTTY === true;

  phase(name: string, total: number): void {
    if (!this.enabled) return;
    this.bar?.stop();
    this.bar = new SingleBar({
      format: `${name.padEnd(9)} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`,
      stream: process.stderr,
      hideCursor: true,
    });
    this.bar.start(Math.max(total, 1), 0);
    if (total === 0) this.bar.update(0);
  }

  advance(done: number): void {
    this.bar?.update(done);
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}

/**
 * A use case's progress events drawn on `bar`: a new bar at each phase, named by `label`
 * (a phase labelled undefined is not drawn).
 */
export function drawProgress(bar: TerminalProgress, label: (phase: string) => string | undefined = (phase) => phase): (event: ProgressEvent) => void {
  let phase: string | undefined;
  let drawn = false;
  return (event) => {
    if (event.phase !== phase) {
      phase = event.phase;
      const name = label(event.phase);
      drawn = name !== undefined;
      if (name !== undefined) bar.phase(name, event.total);
    }
    if (drawn) bar.advance(event.done);
  };
}
