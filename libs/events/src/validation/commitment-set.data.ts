import { LEVERS, MEASURE_KINDS, type CommitmentSet, type Lever, type MeasureKind } from '../catalog';
import { figureOfYear, isKpisFigureId } from '../kpis-figures';
import { NestedObject, OneOf, Rule } from './rule';
import { Text, proseText, pseudonymousIdProblem } from './text';

type Data = CommitmentSet['data'];
type Label = Data['label'];
type Measure = Data['measure'];

/** A label: 1-200 code points, `EventRetracted.reason`'s character rule. */
const LABEL_TEXT = proseText(200);

export class CommitmentLabelDto implements Label {
  @Text(LABEL_TEXT)
  readonly fr!: string;

  @Text(LABEL_TEXT)
  readonly en!: string;
}

/** The owner of `measure` is the data object, whose `year` gives `{year}` its digits. */
const MEASURE_YEAR = Symbol('measureYear');

function figureProblem(value: unknown, measure: Record<string, unknown>): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'must be a figure id of KPIS.md';
  const year = (measure as { [MEASURE_YEAR]?: unknown })[MEASURE_YEAR];
  const id = typeof year === 'number' && Number.isInteger(year) ? figureOfYear(value, year) : value;
  if (value.startsWith('commitments.')) return 'may not name a commitments.* figure: a commitment measures another figure';
  if (isKpisFigureId(id)) return undefined;
  return id === value ? `names no figure of KPIS.md: ${JSON.stringify(value)}` : `names no figure of KPIS.md once {year} is replaced: ${JSON.stringify(id)}`;
}

function valueProblem(value: unknown): string | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a finite number (a share as 0.6, a growth of +25 % as 0.25)';
}

export class CommitmentMeasureDto implements Measure {
  @Rule('kpisFigure', figureProblem)
  readonly figure!: string;

  @OneOf(MEASURE_KINDS)
  readonly kind!: MeasureKind;

  @Rule('measureValue', valueProblem)
  readonly value!: number;

  [MEASURE_YEAR]?: unknown;
}

function yearProblem(value: unknown): string | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 2000 && value <= 2100 ? undefined : 'must be an integer from 2000 to 2100';
}

export class CommitmentSetData implements Data {
  @Rule('commitmentId', pseudonymousIdProblem)
  readonly commitmentId!: string;

  @Rule('year', yearProblem)
  readonly year!: number;

  @OneOf(LEVERS)
  readonly lever!: Lever;

  @NestedObject(() => CommitmentLabelDto)
  readonly label!: Data['label'];

  @NestedObject(() => CommitmentMeasureDto)
  readonly measure!: Data['measure'];
}

/** Gives the measure its year before validation (validate-event.ts calls it on the built instance). */
export function lendYearToMeasure(data: object): void {
  if (!(data instanceof CommitmentSetData)) return;
  const measure: unknown = data.measure;
  if (measure instanceof CommitmentMeasureDto) measure[MEASURE_YEAR] = data.year;
}
