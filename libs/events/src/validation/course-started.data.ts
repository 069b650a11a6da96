import { THEMES, type CourseStarted, type Theme } from '../catalog';
import { NonEmptyString, OneOf } from './rule';

type Data = CourseStarted['data'];

export class CourseStartedData implements Data {
  @NonEmptyString()
  readonly courseId!: string;

  @OneOf(THEMES)
  readonly theme!: Theme;
}
