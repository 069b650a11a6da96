import type { CertificateEarned } from '../catalog';
import { NonEmptyString } from './rule';

type Data = CertificateEarned['data'];

export class CertificateEarnedData implements Data {
  @NonEmptyString()
  readonly certificateId!: string;

  @NonEmptyString()
  readonly courseId!: string;
}
