import { Workbook } from 'exceljs';
import type { Worksheet } from 'exceljs';
import type { FigureUnit } from '@ledger/projection-kit';
import type { ReportExport } from './report-export';
import { COLUMN_LABELS, UNIT_LABELS, exportContext, exportSections } from './report-export';

/** The name of the context sheet, the first one. */
export const CONTEXT_SHEET = 'Contexte - Context';

const NUMBER_FORMATS: Readonly<Record<FigureUnit, string>> = { count: '#,##0', share: '0.0%', average: '#,##0.00' };

/** Excel's rules for a sheet name: at most 31 characters, none of `[]:*?/\`, unique in the workbook (case aside). */
function sheetName(title: string, taken: Set<string>): string {
  const base = title.replace(/[[\]:*?/\\]/g, '-').trim().slice(0, 31) || 'Section';
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n += 1) name = `${base.slice(0, 31 - ` (${n})`.length)} (${n})`;
  taken.add(name.toLowerCase());
  return name;
}

function boldRow(sheet: Worksheet, row: number): void {
  sheet.getRow(row).font = { bold: true };
}

/**
 * The report as an Excel workbook (exceljs): a first sheet with the context (each line's key,
 * its French and English labels, its value: the period, the known-at moment, the log position,
 * and for a publication its seal and signed checkpoint), then one sheet per section of the
 * report, named by its French title, with its French and English titles in its first rows and
 * one row per figure (id, labels, unit, value as a number formatted by its unit, what it
 * counts). The context is repeated above each section's table, so a sheet printed alone still
 * says what it is.
 */
export async function reportXlsx(x: ReportExport): Promise<Buffer> {
  const workbook = new Workbook();
  workbook.creator = 'impact-ledger';
  // The moment the figures are known at, not the moment the file was made: the same report, the same file.
  workbook.created = new Date(x.report.knownAt);
  workbook.modified = workbook.created;
  workbook.title = `Rapport ${x.report.period.from} - ${x.report.period.to}`;
  const taken = new Set<string>();
  const context = exportContext(x);

  const sheet = workbook.addWorksheet(sheetName(CONTEXT_SHEET, taken));
  sheet.columns = [{ width: 22 }, { width: 42 }, { width: 42 }, { width: 80 }];
  sheet.addRow(['key', 'Libellé', 'Label', 'Valeur / Value']);
  boldRow(sheet, 1);
  for (const line of context) {
    const row = sheet.addRow([line.key, line.label.fr, line.label.en, line.value]);
    if (line.key === 'checkpoint') row.getCell(4).alignment = { wrapText: true, vertical: 'top' };
  }

  const summary = `${x.report.period.from} – ${x.report.period.to}, ${x.report.knownAt}, position ${x.report.logPosition}${x.publication ? `, ${x.publication.publicationId}, ${x.publication.seal.merkleRoot}` : ''}`;
  for (const section of exportSections(x)) {
    const page = workbook.addWorksheet(sheetName(section.title.fr, taken));
    page.columns = [{ width: 44 }, { width: 44 }, { width: 44 }, { width: 12 }, { width: 14 }, { width: 70 }, { width: 70 }];
    page.addRow([section.title.fr, section.title.en]);
    boldRow(page, 1);
    page.addRow(['Période, connu au, position / Period, known at, position', summary]);
    page.addRow([]);
    const heading = (key: keyof typeof COLUMN_LABELS) => `${COLUMN_LABELS[key].fr} / ${COLUMN_LABELS[key].en}`;
    page.addRow([heading('figure'), heading('labelFr'), heading('labelEn'), heading('unit'), heading('value'), heading('countsFr'), heading('countsEn')]);
    boldRow(page, 4);
    for (const figure of section.rows) {
      const row = page.addRow([figure.id, figure.label.fr, figure.label.en, `${UNIT_LABELS[figure.unit].fr} / ${UNIT_LABELS[figure.unit].en}`, figure.value, figure.counts.fr, figure.counts.en]);
      row.getCell(5).numFmt = NUMBER_FORMATS[figure.unit];
    }
    page.views = [{ state: 'frozen', ySplit: 4 }];
  }
  const written = await workbook.xlsx.writeBuffer();
  return Buffer.from(written);
}
