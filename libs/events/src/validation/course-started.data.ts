import { THEMES, type CourseStarted, type Theme } from '../catalog';
import { OneOf } from './rule';
import { IdText } from './text';

type Data = CourseStarted['data'];

export class CourseStartedData implements Data {
  @IdText()
  readonly courseId!: string;

  @OneOf(THEMES)
  readonly theme!: Theme;
}
