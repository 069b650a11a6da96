import { AUDIENCES, CHANNELS, type Audience, type Channel, type OutreachCampaignSent } from '../catalog';
import { OneOf, Rule } from './rule';
import { IdText } from './text';

type Data = OutreachCampaignSent['data'];

function recipientsProblem(value: unknown): string | undefined {
  // No coercion: "12" is refused; beyond 2^53 integers are no longer exact, so refused too.
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? undefined : 'must be an integer >= 0';
}

export class OutreachCampaignSentData implements Data {
  @IdText()
  readonly campaignId!: string;

  @OneOf(AUDIENCES)
  readonly audience!: Audience;

  @OneOf(CHANNELS)
  readonly channel!: Channel;

  @Rule('recipients', recipientsProblem)
  readonly recipients!: number;
}
