import type { CertificateEarned } from '../catalog';
import { IdText } from './text';

type Data = CertificateEarned['data'];

export class CertificateEarnedData implements Data {
  @IdText()
  readonly certificateId!: string;

  @IdText()
  readonly courseId!: string;
}
