import type { ApprenticeshipContractSigned } from '../catalog';
import { IdText } from './text';

type Data = ApprenticeshipContractSigned['data'];

export class ApprenticeshipContractSignedData implements Data {
  @IdText()
  readonly contractId!: string;

  @IdText()
  readonly employerId!: string;
}
