import type { FigureUnit } from '@ledger/projection-kit';
import type { ExportRow, ReportExport } from './report-export';
import { exportSections } from './report-export';

export type ExportLanguage = 'fr' | 'en';
export const EXPORT_LANGUAGES: readonly ExportLanguage[] = ['fr', 'en'];

const LOCALES: Readonly<Record<ExportLanguage, string>> = { fr: 'fr-FR', en: 'en-GB' };

/** Text put into HTML: `&`, `<`, `>`, quotes escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A count of things in a language, its plural chosen by Intl.PluralRules: "1 chiffre", "2 chiffres", never "chiffre(s)". */
export function countOf(n: number, forms: { readonly one: string; readonly other: string }, lang: ExportLanguage): string {
  const form = new Intl.PluralRules(LOCALES[lang]).select(n) === 'one' ? forms.one : forms.other;
  return `${new Intl.NumberFormat(LOCALES[lang]).format(n)} ${form}`;
}

const FIGURES = { fr: { one: 'chiffre', other: 'chiffres' }, en: { one: 'figure', other: 'figures' } } as const;

/** A value as a reader reads it: grouped digits, a share as a percent; an undefined figure is "n/c" (not collected), never 0. */
export function displayValue(value: number | null, unit: FigureUnit, lang: ExportLanguage): string {
  if (value === null) return lang === 'fr' ? 'n/c' : 'n/a';
  const locale = LOCALES[lang];
  if (unit === 'share') return new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
  return new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 'average' ? 2 : 0 }).format(value);
}

const TEXT = {
  fr: {
    title: 'Rapport de mission',
    subtitle: 'Les chiffres du registre',
    period: 'Période',
    knownAt: 'Connu au',
    position: 'Position dans le journal',
    publication: 'Publication',
    merkleRoot: 'Racine de Merkle',
    treeSize: "Taille de l'arbre scellé",
    checkpoint: 'Point de contrôle signé',
    figure: 'Chiffre',
    value: 'Valeur',
    counts: 'Ce que le chiffre compte',
    notSealed: 'Rapport non scellé : les chiffres tels que le registre les connaissait à ce moment.',
    page: 'Page',
    of: 'sur',
    to: 'au',
  },
  en: {
    title: 'Mission report',
    subtitle: "The ledger's figures",
    period: 'Period',
    knownAt: 'As known at',
    position: 'Log position',
    publication: 'Publication',
    merkleRoot: 'Merkle root',
    treeSize: 'Sealed tree size',
    checkpoint: 'Signed checkpoint',
    figure: 'Figure',
    value: 'Value',
    counts: 'What it counts',
    notSealed: 'Not a sealed report: the figures as the ledger knew them at that moment.',
    page: 'Page',
    of: 'of',
    to: 'to',
  },
} as const;

function row(figure: ExportRow, lang: ExportLanguage, nested: boolean): string {
  return `<tr${nested ? ' class="part"' : ''}><th scope="row">${escapeHtml(figure.label[lang])}<div class="id">${escapeHtml(figure.id)}</div></th><td class="value">${escapeHtml(displayValue(figure.value, figure.unit, lang))}</td><td class="counts">${escapeHtml(figure.counts[lang])}</td></tr>`;
}

/**
 * The report as an HTML page laid out as the mission report is (A4, a cover with the period,
 * then one section per display group: its title, its figures with their values and what they
 * count), for Chromium to print to PDF; the page footer is `pdfFooterTemplate`'s. No script,
 * no external resource: everything is in the page.
 */
export function reportHtml(x: ReportExport, lang: ExportLanguage): string {
  const t = TEXT[lang];
  const { report, publication: p } = x;
  const sections = exportSections(x);
  const period = `${report.period.from} ${t.to} ${report.period.to}`;
  const seal = p
    ? `<dl class="seal"><dt>${t.publication}</dt><dd>${escapeHtml(p.publicationId)}</dd><dt>${t.merkleRoot}</dt><dd class="hash">${escapeHtml(p.seal.merkleRoot)}</dd><dt>${t.treeSize}</dt><dd>${p.seal.treeSize}</dd><dt>${t.checkpoint}</dt><dd><pre>${escapeHtml(p.checkpoint)}</pre></dd></dl>`
    : `<p class="seal">${t.notSealed}</p>`;
  const body = sections
    .map((section) => {
      const rows = section.rows.map((figure) => row(figure, lang, figure.partOf !== undefined && section.rows.some((r) => r.id === figure.partOf))).join('');
      return `<section><h2>${escapeHtml(section.title[lang])}</h2><p class="count">${countOf(section.rows.length, FIGURES[lang], lang)}</p><table><thead><tr><th scope="col">${t.figure}</th><th scope="col">${t.value}</th><th scope="col">${t.counts}</th></tr></thead><tbody>${rows}</tbody></table></section>`;
    })
    .join('');
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(`${t.title} ${period}`)}</title>
<style>
@page { size: A4; margin: 18mm 16mm 22mm 16mm; }
body { font-family: 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif; font-size: 9.5pt; color: #1b1b1b; margin: 0; }
.cover { page-break-after: always; padding-top: 60mm; }
.cover .kicker { letter-spacing: 0.3em; text-transform: uppercase; color: #7451eb; font-weight: bold; }
.cover h1 { font-size: 30pt; text-transform: uppercase; margin: 4mm 0; }
.cover .year { font-size: 48pt; font-weight: bold; color: #7451eb; }
.cover dl { margin-top: 20mm; display: grid; grid-template-columns: max-content 1fr; gap: 2mm 6mm; }
.cover dt { font-weight: bold; }
.cover dd { margin: 0; }
.seal { margin-top: 10mm; display: grid; grid-template-columns: max-content 1fr; gap: 2mm 6mm; }
.seal dd { margin: 0; }
.hash, pre { font-variant-ligatures: none; font-family: 'DejaVu Sans Mono', monospace; font-size: 7.5pt; word-break: break-all; white-space: pre-wrap; margin: 0; }
section { break-inside: auto; margin-bottom: 8mm; }
h2 { text-transform: uppercase; color: #7451eb; border-bottom: 2px solid #7451eb; padding-bottom: 1mm; font-size: 13pt; break-after: avoid; }
.count { color: #555; margin: 0 0 2mm; }
table { width: 100%; border-collapse: collapse; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { text-align: left; vertical-align: top; padding: 1.2mm 2mm; border-bottom: 0.5px solid #ccc; }
thead th { font-size: 8pt; text-transform: uppercase; color: #555; }
td.value { text-align: right; white-space: nowrap; font-weight: bold; width: 22mm; }
td.counts { color: #444; font-size: 8pt; width: 45%; }
tr.part th { padding-left: 7mm; font-weight: normal; }
.id { font-family: 'DejaVu Sans Mono', monospace; font-size: 7pt; color: #777; font-weight: normal; }
</style></head>
<body>
<div class="cover"><div class="kicker">${t.subtitle}</div><h1>${t.title}</h1><div class="year">${escapeHtml(report.period.from.slice(0, 4) === report.period.to.slice(0, 4) ? report.period.from.slice(0, 4) : period)}</div>
<dl><dt>${t.period}</dt><dd>${escapeHtml(period)}</dd><dt>${t.knownAt}</dt><dd>${escapeHtml(report.knownAt)}</dd><dt>${t.position}</dt><dd>${report.logPosition}</dd></dl>
${seal}</div>
${body}
</body></html>
`;
}

/**
 * The footer Chromium prints on every page (its `footerTemplate`): the period, the known-at
 * moment, the log position, and for a publication its id and Merkle root, then the page number.
 * Chromium renders it apart from the page: its styles are its own, and the font size must be set.
 * No ligatures: a hash must read as its digits ("ff" is not one glyph).
 */
export function pdfFooterTemplate(x: ReportExport, lang: ExportLanguage): string {
  const t = TEXT[lang];
  const { report, publication: p } = x;
  const parts = [
    `${t.period} ${report.period.from} ${t.to} ${report.period.to}`,
    `${t.knownAt} ${report.knownAt}`,
    `${t.position} ${report.logPosition}`,
    ...(p ? [`${t.publication} ${p.publicationId}`, `${t.merkleRoot} ${p.seal.merkleRoot}`] : []),
  ];
  return `<div style="font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 7px; font-variant-ligatures: none; color: #444; width: 100%; padding: 0 16mm; display: flex; justify-content: space-between; gap: 4mm;"><span class="ledger-context" style="word-break: break-all;">${escapeHtml(parts.join(' · '))}</span><span style="white-space: nowrap;">${t.page} <span class="pageNumber"></span> ${t.of} <span class="totalPages"></span></span></div>`;
}
