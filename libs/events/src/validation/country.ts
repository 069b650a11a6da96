import { Rule } from './rule';

/**
 * The 249 officially assigned ISO 3166-1 alpha-2 codes. Kept here rather than a shape test
 * (`[A-Z]{2}`) because `XX` or `UK` would otherwise enter the ledger and split country
 * figures. User-assigned codes (`XK`, `AA`, `ZZ`...) and reserved ones are refused.
 */
const ASSIGNED_ALPHA2 = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ ' +
    'BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
    'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ ' +
    'DE DJ DK DM DO DZ ' +
    'EC EE EG EH ER ES ET ' +
    'FI FJ FK FM FO FR ' +
    'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY ' +
    'HK HM HN HR HT HU ' +
    'ID IE IL IM IN IO IQ IR IS IT ' +
    'JE JM JO JP ' +
    'KE KG KH KI KM KN KP KR KW KY KZ ' +
    'LA LB LC LI LK LR LS LT LU LV LY ' +
    'MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ ' +
    'NA NC NE NF NG NI NL NO NP NR NU NZ ' +
    'OM ' +
    'PA PE PF PG PH PK PL PM PN PR PS PT PW PY ' +
    'QA ' +
    'RE RO RS RU RW ' +
    'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ ' +
    'TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ ' +
    'UA UG UM US UY UZ ' +
    'VA VC VE VG VI VN VU ' +
    'WF WS ' +
    'YE YT ' +
    'ZA ZM ZW'
  ).split(' '),
);

function isCountry(value: unknown): boolean {
  return typeof value === 'string' && ASSIGNED_ALPHA2.has(value);
}

export const ASSIGNED_COUNTRY_COUNT = ASSIGNED_ALPHA2.size;

export function IsCountry(): PropertyDecorator {
  return Rule('country', (value) => {
    if (isCountry(value)) return undefined;
    if (typeof value === 'string' && /^[a-z]{2}$/i.test(value) && ASSIGNED_ALPHA2.has(value.toUpperCase())) {
      return 'must be an ISO 3166-1 alpha-2 code in upper case';
    }
    return 'must be an assigned ISO 3166-1 alpha-2 country code (two upper-case letters, e.g. FR)';
  });
}
