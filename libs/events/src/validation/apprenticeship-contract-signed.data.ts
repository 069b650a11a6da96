import type { ApprenticeshipContractSigned } from '../catalog';
import { NonEmptyString } from './rule';

type Data = ApprenticeshipContractSigned['data'];

export class ApprenticeshipContractSignedData implements Data {
  @NonEmptyString()
  readonly contractId!: string;

  @NonEmptyString()
  readonly employerId!: string;
}
