import { Module, ServiceUnavailableException, StreamableFile } from '@nestjs/common';
import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import type { ExportLanguage, ReportExport } from '@ledger/exports';
import { EXPORT_LANGUAGES, exportFileName, pdfFooterTemplate, reportCsv, reportHtml, reportXlsx } from '@ledger/exports';
import { fieldError } from '../http/bad-request';
import { PeriodRequest } from '../http/period-request';
import { PdfRenderer, PdfUnavailableError } from './pdf-renderer';

/** What `format` may ask of a report or a publication: the document (JSON), or a file to download. */
export const EXPORT_FORMATS = ['json', 'csv', 'xlsx', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const FORMAT_DESCRIPTION = 'json (the document, the default), or a file to download: csv (RFC 4180, a `# key,value` preamble), xlsx (a workbook, a sheet per section), pdf (printed by Chromium)';
const LANG_DESCRIPTION = "the PDF's language (the CSV and the workbook carry both): fr (the default) or en";

/** `format` and `lang` of a report or a publication, checked by `exportOptions`. */
export class ExportRequest {
  @ApiPropertyOptional({ description: FORMAT_DESCRIPTION, enum: EXPORT_FORMATS, example: 'xlsx' })
  @IsOptional()
  @IsString()
  format?: string;

  @ApiPropertyOptional({ description: LANG_DESCRIPTION, enum: EXPORT_LANGUAGES, example: 'fr' })
  @IsOptional()
  @IsString()
  lang?: string;
}

/** The period, the moment, and the export asked for: both requests' fields, checks and OpenAPI entries. */
export class ReportRequest extends IntersectionType(PeriodRequest, ExportRequest) {}

/** `format` and `lang` checked: 400 naming the field and the values it takes. */
export function exportOptions(query: { readonly format?: string | undefined; readonly lang?: string | undefined }): { format: ExportFormat; lang: ExportLanguage } {
  const format = EXPORT_FORMATS.find((f) => f === (query.format ?? 'json'));
  if (format === undefined) throw fieldError('format', `format must be one of ${EXPORT_FORMATS.join(', ')} (got ${JSON.stringify(query.format)})`);
  const lang = EXPORT_LANGUAGES.find((l) => l === (query.lang ?? 'fr'));
  if (lang === undefined) throw fieldError('lang', `lang must be one of ${EXPORT_LANGUAGES.join(', ')} (got ${JSON.stringify(query.lang)})`);
  return { format, lang };
}

const TYPES: Readonly<Record<Exclude<ExportFormat, 'json'>, string>> = {
  csv: 'text/csv; charset=utf-8; header=present',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** The export as a file to download, its name giving the period and the moment (Content-Disposition: attachment). */
export async function exportFile(x: ReportExport, format: Exclude<ExportFormat, 'json'>, lang: ExportLanguage, pdf: PdfRenderer): Promise<StreamableFile> {
  const body = format === 'csv' ? Buffer.from(reportCsv(x), 'utf8') : format === 'xlsx' ? await reportXlsx(x) : await printed(x, lang, pdf);
  return new StreamableFile(body, { type: TYPES[format], disposition: `attachment; filename="${exportFileName(x, format)}"`, length: body.length });
}

/** The Retry-After of a 503 for a PDF (the header, set by StoreFailureFilter from `retryAfter`, and the body's field). */
export const PDF_BUSY_RETRY_AFTER_SECONDS = 5;
export const PDF_UNAVAILABLE_RETRY_AFTER_SECONDS = 60;

async function printed(x: ReportExport, lang: ExportLanguage, pdf: PdfRenderer): Promise<Buffer> {
  try {
    return await pdf.render(reportHtml(x, lang), pdfFooterTemplate(x, lang));
  } catch (error) {
    if (!(error instanceof PdfUnavailableError)) throw error;
    // Busy: a slot frees within seconds. No browser: an operator must install one; asked again in a minute.
    const retryAfter = error.kind === 'busy' ? PDF_BUSY_RETRY_AFTER_SECONDS : PDF_UNAVAILABLE_RETRY_AFTER_SECONDS;
    throw new ServiceUnavailableException({ statusCode: 503, error: 'Service Unavailable', kind: error.kind === 'busy' ? 'busy' : 'pdf-unavailable', message: error.message, retryAfter });
  }
}

/** The PDF printer, one for the application: the reports and the publications share its browser and its slots. */
@Module({ providers: [PdfRenderer], exports: [PdfRenderer] })
export class ExportsModule {}
