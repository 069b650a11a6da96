import { execFileSync } from 'node:child_process';
import { validateEnvironment } from '@ledger/config';
import { PdfRenderer, PdfUnavailableError } from '../../apps/api/src/reports/pdf-renderer';
import { describeWithChromium } from '../support/browser';

/** The Chromium processes this test process started (playwright launches the browser as a child). */
function chromiumChildren(): number {
  const out = execFileSync('ps', ['-o', 'comm=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out.split('\n').filter((name) => /chrom/i.test(name)).length;
}

const PAGE = '<!doctype html><html><body><p>Rapport</p></body></html>';
const FOOTER = '<div style="font-size: 8px">pied de page</div>';

describeWithChromium('the PDF printer')('the PDF printer (the installed Chromium)', () => {
  it('launches Chromium on the first PDF only, shares it, bounds the pages printed at once, and closes it on shutdown', async () => {
    const renderer = new PdfRenderer(validateEnvironment({ ...process.env, PDF_CONCURRENCY: '1' }));
    try {
      // Built, not asked: no browser yet.
      expect(chromiumChildren()).toBe(0);
      const first = await renderer.render(PAGE, FOOTER);
      expect(first.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(chromiumChildren()).toBe(1);

      // One slot, 8 may wait: of 10 asked at once, 9 are printed (one after the other) and the 10th is told busy.
      const asked = await Promise.allSettled(Array.from({ length: 10 }, () => renderer.render(PAGE, FOOTER)));
      const refused = asked.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
      expect(asked.filter((a) => a.status === 'fulfilled')).toHaveLength(9);
      expect(refused.map((r) => (r.reason instanceof PdfUnavailableError ? r.reason.kind : String(r.reason)))).toEqual(['busy']);
      // Still one browser for all of them.
      expect(chromiumChildren()).toBe(1);
    } finally {
      await renderer.onApplicationShutdown();
    }
    // Closed: wait for the process to be reaped.
    for (let i = 0; i < 50 && chromiumChildren() > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(chromiumChildren()).toBe(0);
  });
});
