import { parse } from 'csv-parse/sync';
import { Workbook } from 'exceljs';
import type { CellValue } from 'exceljs';
import request from 'supertest';
import type { Response } from 'supertest';
import { EventIngestor } from '@ledger/ingest';
import { CONTEXT_SHEET } from '@ledger/exports';
import { catalogueOf, definitionsOf } from '@ledger/projection-kit';
import { FIGURE_SOURCES } from '@ledger/projections';
import type { ApiUnderTest } from '../support/api-under-test';
import { bearer, startApi } from '../support/api-under-test';
import { describeWithChromium } from '../support/browser';
import { pdfPageTexts } from '../support/pdf-text';
import { admitted, courseStarted, learnerActive, outcomeReported, retracted, surveyAnswered, uuidOf } from '../support/event-builders';

const YEAR = { from: '2020-01-01', to: '2020-12-31' };
const KNOWN_AT = '2021-03-15T00:00:00.000Z';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A binary body (xlsx, pdf) as a Buffer. */
function binary(res: Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

/** The `# key,value` preamble of an export, each key with its values (the checkpoint has several lines). */
function preambleOf(csv: string): Map<string, string[]> {
  const lines = csv.replace(/^\uFEFF/, '').split('\r\n').filter((line) => line.startsWith('# '));
  const found = new Map<string, string[]>();
  for (const line of lines) {
    const [record] = parse(line.slice(2), { relax_column_count: true });
    const [key = '', value = ''] = record ?? [];
    found.set(key, [...(found.get(key) ?? []), value]);
  }
  return found;
}

const cellText = (value: CellValue): string => (value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));

/**
 * The exports through the real NestJS app: a report and a sealed publication as CSV (parsed
 * back by csv-parse), as a workbook (opened by exceljs), as a PDF printed by Chromium; the
 * explain list as CSV; and the refusals.
 */
describe('exports: GET /reports and GET /publications/:id as CSV, XLSX and PDF; the explain list as CSV', () => {
  let api: ApiUnderTest;
  const http = () => request(api.app.getHttpServer());
  const committee = () => bearer(api.keys.committee);
  let json: { period: typeof YEAR; knownAt: string; logPosition: number; figures: Record<string, number | null> };
  let published: { publicationId: string; eventId: string; position: number; seal: { treeSize: number; merkleRoot: string }; checkpoint: string; publicKey: string; report: typeof json };

  beforeAll(async () => {
    api = await startApi();
    const ingestor = new EventIngestor(api.store, api.clock.now);
    api.clock.set('2021-01-10T12:00:00Z');
    await ingestor.ingest([
      surveyAnswered(1, 'a'),
      admitted(2, 'a', 'A2'),
      learnerActive(3, 'a'),
      courseStarted(4, 'a', '2020-03-01T10:00:00Z'),
      courseStarted(5, 'b', '2020-04-01T10:00:00Z'),
      outcomeReported(6, 'a', '2020-09-01T00:00:00Z'),
    ]);
    api.clock.set('2021-04-01T00:00:00Z');
    await ingestor.ingest([retracted(7, 'b', uuidOf(5))]);
    api.clock.set('2021-06-01T00:00:00Z');
    json = (await http().get('/reports').query({ ...YEAR, knownAt: KNOWN_AT }).set(committee()).expect(200)).body;
    published = (await http().post('/publications').set(committee()).send({ ...YEAR, knownAt: KNOWN_AT, publicationId: 'mission-report-2020' }).expect(201)).body;
  });
  afterAll(() => api?.close());

  it('CSV: RFC 4180 with a preamble (period, moment, log position), one record per figure, the values of the JSON document', async () => {
    const res = await http().get('/reports').query({ ...YEAR, knownAt: KNOWN_AT, format: 'csv' }).set(committee()).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="report_2020-01-01_2020-12-31_known-at-2021-03-15T00-00-00.000Z.csv"');
    const text = res.text;
    // RFC 4180: every line ends with CRLF, none with a bare LF.
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
    const preamble = preambleOf(text);
    expect(Object.fromEntries([...preamble].map(([k, v]) => [k, v.join('\n')]))).toEqual({
      format: 'impact-ledger-report/1',
      from: '2020-01-01',
      to: '2020-12-31',
      knownAt: KNOWN_AT,
      logPosition: String(json.logPosition),
    });
    const records = parse<Record<string, string>>(text, { bom: true, comment: '#', columns: true, skip_empty_lines: true });
    expect(Object.keys(records[0] ?? {})).toEqual(['section', 'figure', 'label_fr', 'label_en', 'unit', 'value', 'counts_fr', 'counts_en']);
    // Every figure of the document once, its value as the document gives it (null: an empty field).
    expect(records.map((r) => r.figure).sort()).toEqual(Object.keys(json.figures).sort());
    for (const r of records) {
      const value = json.figures[r.figure ?? ''];
      expect([r.figure, r.value]).toEqual([r.figure, value === null || value === undefined ? '' : String(value)]);
    }
    const started = records.find((r) => r.figure === 'key.courses-started');
    expect(started).toMatchObject({ section: 'key', label_fr: 'Cours débutés', label_en: 'courses started', unit: 'count', value: '2', counts_fr: 'événements CourseStarted survenus sur la période' });
    // As known now, the retraction counts: the export follows knownAt.
    const now = await http().get('/reports').query({ ...YEAR, format: 'csv' }).set(committee()).expect(200);
    const nowRecords = parse<Record<string, string>>(now.text, { bom: true, comment: '#', columns: true });
    expect(nowRecords.find((r) => r.figure === 'key.courses-started')?.value).toBe('1');
  });

  it('CSV of a publication: its seal, publication id and signed checkpoint in the preamble, the published figures', async () => {
    const res = await http().get('/publications/mission-report-2020').query({ format: 'csv' }).set(committee()).expect(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="publication-mission-report-2020_2020-01-01_2020-12-31_known-at-2021-03-15T00-00-00.000Z.csv"');
    const preamble = preambleOf(res.text);
    expect(preamble.get('publicationId')).toEqual(['mission-report-2020']);
    expect(preamble.get('merkleRoot')).toEqual([published.seal.merkleRoot]);
    expect(preamble.get('treeSize')).toEqual([String(published.seal.treeSize)]);
    expect(preamble.get('publicationEventId')).toEqual([published.eventId]);
    expect(preamble.get('publicKey')).toEqual([published.publicKey]);
    // The signed note, byte for byte: its lines joined by LF, ending with one.
    expect(`${(preamble.get('checkpoint') ?? []).join('\n')}\n`).toBe(published.checkpoint);
    const records = parse<Record<string, string>>(res.text, { bom: true, comment: '#', columns: true });
    expect(Object.fromEntries(records.map((r) => [r.figure, r.value === '' ? null : Number(r.value)]))).toEqual(published.report.figures);
  });

  it('XLSX: a workbook with a context sheet (French and English labels) and a sheet per section; a publication adds its seal and checkpoint', async () => {
    const res = await http().get('/publications/mission-report-2020').query({ format: 'xlsx' }).set(committee()).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toBe('attachment; filename="publication-mission-report-2020_2020-01-01_2020-12-31_known-at-2021-03-15T00-00-00.000Z.xlsx"');
    const workbook = new Workbook();
    await workbook.xlsx.load(Uint8Array.from(res.body as Buffer).buffer);
    const catalogue = catalogueOf(definitionsOf(FIGURE_SOURCES), YEAR);
    const groups = catalogue.groups.filter((g) => catalogue.figures.some((f) => f.group === g.id && f.id in published.report.figures));
    expect(workbook.worksheets.map((s) => s.name)).toEqual([CONTEXT_SHEET, ...groups.map((g) => g.title.fr.slice(0, 31))]);

    const context = workbook.getWorksheet(CONTEXT_SHEET);
    const rows = new Map<string, CellValue[]>();
    context?.eachRow((row) => rows.set(cellText(row.getCell(1).value), [row.getCell(2).value, row.getCell(3).value, row.getCell(4).value]));
    expect(rows.get('from')).toEqual(['Période, premier jour (UTC)', 'Period, first day (UTC)', '2020-01-01']);
    expect(rows.get('knownAt')?.[2]).toBe(KNOWN_AT);
    expect(rows.get('logPosition')?.[2]).toBe(published.report.logPosition);
    expect(rows.get('publicationId')?.[2]).toBe('mission-report-2020');
    expect(rows.get('merkleRoot')?.[2]).toBe(published.seal.merkleRoot);
    expect(rows.get('checkpoint')?.[2]).toBe(published.checkpoint);

    // Every figure once, on its section's sheet, a number (or an empty cell for null).
    const seen: Record<string, number | null> = {};
    for (const sheet of workbook.worksheets.slice(1)) {
      expect(cellText(sheet.getCell('B1').value)).toBe(groups.find((g) => g.title.fr.slice(0, 31) === sheet.name)?.title.en);
      sheet.eachRow((row, n) => {
        if (n <= 4) return;
        const value = row.getCell(5).value;
        seen[cellText(row.getCell(1).value)] = value === null || value === undefined ? null : Number(value);
      });
    }
    expect(seen).toEqual(published.report.figures);
  });

  it('XLSX of a report: the context without a seal', async () => {
    const res = await http().get('/reports').query({ ...YEAR, knownAt: KNOWN_AT, format: 'xlsx' }).set(committee()).buffer(true).parse(binary).expect(200);
    const workbook = new Workbook();
    await workbook.xlsx.load(Uint8Array.from(res.body as Buffer).buffer);
    const keys: string[] = [];
    workbook.getWorksheet(CONTEXT_SHEET)?.eachRow((row, n) => n > 1 && keys.push(cellText(row.getCell(1).value)));
    expect(keys).toEqual(['from', 'to', 'knownAt', 'logPosition']);
  });

  it('the explain list as CSV, streamed: a preamble, one record per event in log order, the count at the end', async () => {
    const res = await http().get('/figures/key.courses-started/explain').query({ ...YEAR, knownAt: KNOWN_AT, format: 'csv' }).set(committee()).expect(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="explain_key.courses-started_2020-01-01_2020-12-31_known-at-2021-03-15T00-00-00.000Z.csv"');
    const preamble = preambleOf(res.text);
    expect(preamble.get('figure')).toEqual(['key.courses-started']);
    expect(preamble.get('value')).toEqual(['2']);
    expect(preamble.get('eventCount')).toEqual(['2']);
    expect(preamble.get('next')).toEqual(['']);
    const records = parse<Record<string, string>>(res.text, { bom: true, comment: '#', columns: true });
    expect(records.map((r) => [r.position, r.eventId, r.type])).toEqual([
      ['4', uuidOf(4), 'CourseStarted'],
      ['5', uuidOf(5), 'CourseStarted'],
    ]);
    // A page: the cursor of the next one at the end.
    const page = await http().get('/figures/key.courses-started/explain').query({ ...YEAR, knownAt: KNOWN_AT, format: 'csv', limit: '1' }).set(committee()).expect(200);
    expect(preambleOf(page.text).get('next')).toEqual(['4']);
  });

  it.each([
    ['/reports', { ...YEAR, format: 'docx' }, 'format', 'format must be one of json, csv, xlsx, pdf (got "docx")'],
    ['/reports', { ...YEAR, format: 'pdf', lang: 'de' }, 'lang', 'lang must be one of fr, en (got "de")'],
    ['/publications/mission-report-2020', { format: 'ods' }, 'format', 'format must be one of json, csv, xlsx, pdf (got "ods")'],
    ['/figures/key.courses-started/explain', { ...YEAR, format: 'xlsx' }, 'format', 'format must be one of json, ndjson, csv (got "xlsx")'],
  ])('GET %s refuses %j with a 400 naming the field', async (path, query, field, message) => {
    const res = await http().get(path).query(query).set(committee()).expect(400);
    expect(res.body).toMatchObject({ field, message });
  });

  it('GET /publications/:id: the publication as POST answered it; an unknown id is 404 naming it', async () => {
    const res = await http().get('/publications/mission-report-2020').set(committee()).expect(200);
    expect(res.body).toEqual({ ...published, recordedAt: expect.any(String) });
    const missing = await http().get('/publications/nope').query({ format: 'csv' }).set(committee()).expect(404);
    expect(missing.body).toMatchObject({ field: 'publicationId', message: 'no sealed publication "nope" in the log' });
  });

  it('format=pdf without Chromium: 503 saying so, the other formats still served', async () => {
    const without = await startApi(undefined, 'sqlite', { CHROMIUM_PATH: '/nonexistent/chromium' });
    try {
      const res = await request(without.app.getHttpServer()).get('/reports').query({ ...YEAR, format: 'pdf' }).set(bearer(without.keys.committee)).expect(503);
      expect(res.body).toMatchObject({ kind: 'pdf-unavailable', message: 'no PDF: Chromium is not installed at /nonexistent/chromium (CHROMIUM_PATH); CSV and XLSX exports need no browser', retryAfter: 60 });
      // Every 503 says when to ask again.
      expect(res.headers['retry-after']).toBe('60');
      await request(without.app.getHttpServer()).get('/reports').query({ ...YEAR, format: 'xlsx' }).set(bearer(without.keys.committee)).expect(200);
    } finally {
      await without.close();
    }
  });

  describeWithChromium('PDF')('printed by Chromium', () => {
    it('a PDF printed by Chromium, its footer on every page giving the period, the moment, the log position, the publication id and Merkle root', async () => {
      const res = await http().get('/publications/mission-report-2020').query({ format: 'pdf', lang: 'fr' }).set(committee()).buffer(true).parse(binary).expect(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="publication-mission-report-2020_2020-01-01_2020-12-31_known-at-2021-03-15T00-00-00.000Z\.pdf"$/);
      const pdf = res.body as Buffer;
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.subarray(-8).toString('latin1')).toMatch(/%%EOF\s*$/);
      // A cover and the sections: several pages, each with the footer, read back from the PDF's own text.
      const pages = pdfPageTexts(pdf);
      expect(pages.length).toBeGreaterThan(1);
      const footer = ['Période 2020-01-01 au 2020-12-31', `Connu au ${KNOWN_AT}`, `Position dans le journal ${published.report.logPosition}`, 'Publication mission-report-2020', `Racine de Merkle ${published.seal.merkleRoot}`];
      pages.forEach((decodings, i) => {
        for (const part of [...footer, `Page ${i + 1} sur ${pages.length}`]) expect([i + 1, part, decodings.some((text) => text.includes(part))]).toEqual([i + 1, part, true]);
      });
      // The body, laid out as the mission report: the cover's title (in capitals, as the report's), a section, a figure's French label.
      expect(pages[0]?.some((text) => text.includes('RAPPORT DE MISSION'))).toBe(true);
      expect(pages.some((decodings) => decodings.some((text) => text.includes('Cours débutés')))).toBe(true);
    });
  });
});
