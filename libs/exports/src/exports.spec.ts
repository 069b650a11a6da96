import { parse } from 'csv-parse/sync';
import type { FigureDefinition } from '@ledger/projection-kit';
import type { ReportExport } from './report-export';
import { exportFileName, exportSections } from './report-export';
import { csvField, reportCsv } from './csv';
import { countOf, displayValue, escapeHtml, pdfFooterTemplate, reportHtml } from './report-html';

const GROUP = { id: 'key', title: { en: 'Key figures', fr: 'Chiffres clés' } };
const definition = (id: string, unit: FigureDefinition['unit'] = 'count'): FigureDefinition => ({
  id,
  label: { en: `${id}, "quoted", with a comma`, fr: `${id} : « cité », avec une virgule, et un # dièse` },
  unit,
  counts: { en: `what ${id} counts`, fr: `ce que ${id} compte` },
  group: GROUP,
});
const EXPORT: ReportExport = {
  report: { period: { from: '2020-01-01', to: '2020-12-31' }, knownAt: '2021-03-15T00:00:00.000Z', logPosition: 42, figures: { 'key.a': 3, 'key.share': 0.125, 'key.none': null, 'stray.figure': 7 } },
  definitions: [definition('key.a'), definition('key.share', 'share'), definition('key.none')],
};
const PUBLICATION = {
    publicationId: 'mission-report-2020',
    eventId: 'e',
    position: 43,
    recordedAt: '2021-03-15T00:00:01.000Z',
    seal: { treeSize: 42, merkleRoot: 'ab'.repeat(32) },
    checkpoint: 'ledger.invalid/impact-ledger/x\n42\nq83vEjRWeJA=\npublication mission-report-2020\n\n— ledger.invalid/impact-ledger/x AAAA\n',
    publicKey: 'k',
};
const SEALED: ReportExport = { ...EXPORT, publication: PUBLICATION };

describe('libs/exports', () => {
  it('quotes a CSV field as RFC 4180 does, and a # that a comment-skipping reader would take for a comment', () => {
    expect(['plain', 'a,b', 'say "hi"', 'two\nlines', '#1', 3, null].map(csvField)).toEqual(['plain', '"a,b"', '"say ""hi"""', '"two\nlines"', '"#1"', '3', '']);
  });

  it('the CSV reads back: the preamble skipped as comments, every figure once (the stray one last), null an empty field', () => {
    const text = reportCsv(SEALED);
    const records = parse<Record<string, string>>(text, { bom: true, comment: '#', columns: true });
    expect(records.map((r) => [r.section, r.figure, r.value])).toEqual([
      ['key', 'key.a', '3'],
      ['key', 'key.share', '0.125'],
      ['key', 'key.none', ''],
      ['other', 'stray.figure', '7'],
    ]);
    expect(records[0]?.label_fr).toBe('key.a : « cité », avec une virgule, et un # dièse');
    // The signed note, one preamble line per line of it, the empty one included.
    const lines = text.split('\r\n').filter((l) => l.startsWith('# checkpoint,'));
    expect(lines.map((l) => l.slice('# checkpoint,'.length))).toEqual(['ledger.invalid/impact-ledger/x', '42', 'q83vEjRWeJA=', 'publication mission-report-2020', '', '— ledger.invalid/impact-ledger/x AAAA']);
  });

  it('names a file by what it is, the period and the moment, in characters every file system takes', () => {
    expect(exportFileName(EXPORT, 'csv')).toBe('report_2020-01-01_2020-12-31_known-at-2021-03-15T00-00-00.000Z.csv');
    expect(exportFileName({ ...SEALED, publication: { ...PUBLICATION, publicationId: 'a/b c' } }, 'pdf')).toBe('publication-a_b_c_2020-01-01_2020-12-31_known-at-2021-03-15T00-00-00.000Z.pdf');
  });

  it('counts in French and English with their plural rules, never "chiffre(s)"', () => {
    expect([0, 1, 2, 1500].map((n) => countOf(n, { one: 'chiffre', other: 'chiffres' }, 'fr'))).toEqual(['0 chiffre', '1 chiffre', '2 chiffres', '1\u202f500 chiffres']);
    expect([0, 1, 2].map((n) => countOf(n, { one: 'figure', other: 'figures' }, 'en'))).toEqual(['0 figures', '1 figure', '2 figures']);
  });

  it('shows a value by its unit and language; null is "n/c", never 0', () => {
    expect([displayValue(0.125, 'share', 'fr'), displayValue(1234, 'count', 'fr'), displayValue(null, 'count', 'fr'), displayValue(0.125, 'share', 'en')]).toEqual(['12,5\u00a0%', '1\u202f234', 'n/c', '12.5%']);
  });

  it('the PDF page escapes what it shows, and its footer carries the period, the moment, the position, and the seal when sealed', () => {
    const html = reportHtml(SEALED, 'fr');
    expect(html).toContain(escapeHtml('key.a : « cité », avec une virgule, et un # dièse'));
    expect(html).not.toContain('"quoted"');
    expect(html).toContain('3 chiffres');
    expect(exportSections(SEALED).map((s) => s.id)).toEqual(['key', 'other']);
    const footer = pdfFooterTemplate(SEALED, 'fr');
    for (const part of ['Période 2020-01-01 au 2020-12-31', 'Connu au 2021-03-15T00:00:00.000Z', 'Position dans le journal 42', 'Publication mission-report-2020', `Racine de Merkle ${'ab'.repeat(32)}`, 'class="pageNumber"', 'class="totalPages"']) {
      expect([part, footer.includes(part)]).toEqual([part, true]);
    }
    expect(pdfFooterTemplate(EXPORT, 'en')).not.toContain('Merkle');
  });
});
