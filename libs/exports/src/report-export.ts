import type { CatalogueEntry, FigureDefinition, FigureUnit, Labels } from '@ledger/projection-kit';
import { catalogueOf } from '@ledger/projection-kit';
import type { ReportDocument } from '@ledger/projection-runtime';

/** The seal of a publication and the ledger's signed checkpoint of the sealed tree (`POST /publications`' answer). */
export interface PublicationContext {
  readonly publicationId: string;
  readonly eventId: string;
  /** The log position of the ReportPublished event. */
  readonly position: number;
  readonly recordedAt: string;
  readonly seal: { readonly treeSize: number; readonly merkleRoot: string };
  /** The C2SP signed note, as `POST /publications` gives it. */
  readonly checkpoint: string;
  readonly publicKey: string;
}

/** What an export is made of: the report, the definitions of its figures, and its seal when it is a publication. */
export interface ReportExport {
  readonly report: ReportDocument;
  readonly definitions: readonly FigureDefinition[];
  readonly publication?: PublicationContext;
}

/** One line of an export's context: a key a program reads, its labels, its value. */
export interface ContextLine {
  readonly key: string;
  readonly label: Labels;
  readonly value: string | number;
}

/** One figure of a section. */
export interface ExportRow {
  readonly id: string;
  readonly label: Labels;
  readonly unit: FigureUnit;
  readonly counts: Labels;
  /** null: the figure is undefined for the period (an empty cell, never 0). */
  readonly value: number | null;
  readonly partOf?: string;
}

/** A display group of the catalogue (a sheet of the workbook, a section of the CSV and of the PDF). */
export interface ExportSection {
  readonly id: string;
  readonly title: Labels;
  readonly rows: readonly ExportRow[];
}

/** The headings of the columns, in French and English. */
export const COLUMN_LABELS = {
  section: { en: 'Section', fr: 'Section' },
  figure: { en: 'Figure id', fr: 'Identifiant' },
  labelFr: { en: 'Label (French)', fr: 'Libellé' },
  labelEn: { en: 'Label (English)', fr: 'Libellé (anglais)' },
  unit: { en: 'Unit', fr: 'Unité' },
  value: { en: 'Value', fr: 'Valeur' },
  countsFr: { en: 'What it counts (French)', fr: 'Ce que le chiffre compte' },
  countsEn: { en: 'What it counts (English)', fr: 'Ce que le chiffre compte (anglais)' },
} as const satisfies Record<string, Labels>;

export const UNIT_LABELS: Readonly<Record<FigureUnit, Labels>> = {
  count: { en: 'count', fr: 'effectif' },
  share: { en: 'share', fr: 'part' },
  average: { en: 'average', fr: 'moyenne' },
};

const OTHER: Labels = { en: 'Other figures', fr: 'Autres chiffres' };
const UNKNOWN_RULE: Labels = { en: 'not in the catalogue', fr: 'hors du catalogue' };

/**
 * The context every export carries, in this order: the period, the known-at moment, the log
 * position, then for a publication its id, its event and position, its seal (tree size, Merkle
 * root), the signed checkpoint and the key that signed it.
 */
export function exportContext(x: ReportExport): ContextLine[] {
  const { report, publication: p } = x;
  const lines: ContextLine[] = [
    { key: 'from', label: { en: 'Period, first day (UTC)', fr: 'Période, premier jour (UTC)' }, value: report.period.from },
    { key: 'to', label: { en: 'Period, last day (UTC)', fr: 'Période, dernier jour (UTC)' }, value: report.period.to },
    { key: 'knownAt', label: { en: 'As known at', fr: 'Connu au' }, value: report.knownAt },
    { key: 'logPosition', label: { en: 'Log position', fr: 'Position dans le journal' }, value: report.logPosition },
  ];
  if (p === undefined) return lines;
  return [
    ...lines,
    { key: 'publicationId', label: { en: 'Publication id', fr: 'Identifiant de la publication' }, value: p.publicationId },
    { key: 'publicationEventId', label: { en: 'Publication event id', fr: "Identifiant de l'événement de publication" }, value: p.eventId },
    { key: 'publicationPosition', label: { en: 'Publication log position', fr: 'Position de la publication dans le journal' }, value: p.position },
    { key: 'publishedAt', label: { en: 'Recorded at', fr: 'Enregistrée le' }, value: p.recordedAt },
    { key: 'treeSize', label: { en: 'Sealed tree size (events)', fr: "Taille de l'arbre scellé (événements)" }, value: p.seal.treeSize },
    { key: 'merkleRoot', label: { en: 'Merkle root (RFC 6962, hex)', fr: 'Racine de Merkle (RFC 6962, hexadécimal)' }, value: p.seal.merkleRoot },
    { key: 'checkpoint', label: { en: 'Signed checkpoint (C2SP signed note)', fr: 'Point de contrôle signé (note signée C2SP)' }, value: p.checkpoint },
    { key: 'publicKey', label: { en: "Ledger's verifier key", fr: 'Clé de vérification du registre' }, value: p.publicKey },
  ];
}

/**
 * The figures by display group, in the catalogue's order (the report's); the figures of the
 * document that no definition names come last, in a section of their own, so nothing computed
 * is left out of an export.
 */
export function exportSections(x: ReportExport): ExportSection[] {
  const { report } = x;
  const catalogue = catalogueOf(x.definitions, report.period);
  const present = catalogue.figures.filter((entry) => Object.hasOwn(report.figures, entry.id));
  const row = (entry: CatalogueEntry): ExportRow => ({
    id: entry.id,
    label: entry.label,
    unit: entry.unit,
    counts: entry.counts,
    value: report.figures[entry.id] ?? null,
    ...(entry.partOf === undefined ? {} : { partOf: entry.partOf }),
  });
  const sections: ExportSection[] = catalogue.groups
    .map((group) => ({ id: group.id, title: group.title, rows: present.filter((entry) => entry.group === group.id).map(row) }))
    .filter((section) => section.rows.length > 0);
  const listed = new Set(present.map((entry) => entry.id));
  const others = Object.keys(report.figures).filter((id) => !listed.has(id));
  if (others.length > 0) {
    sections.push({
      id: 'other',
      title: OTHER,
      rows: others.map((id) => ({ id, label: { en: id, fr: id }, unit: 'count', counts: UNKNOWN_RULE, value: report.figures[id] ?? null })),
    });
  }
  return sections;
}

/**
 * The file name an export is saved under: what it is, the period and the moment (colons of
 * the instant made dashes: a name every file system takes), and the extension.
 */
export function exportFileName(x: ReportExport, extension: string): string {
  const { report, publication } = x;
  const moment = report.knownAt.replace(/:/g, '-');
  const what = publication === undefined ? 'report' : `publication-${publication.publicationId.replace(/[^A-Za-z0-9._-]/g, '_')}`;
  return `${what}_${report.period.from}_${report.period.to}_known-at-${moment}.${extension}`;
}
