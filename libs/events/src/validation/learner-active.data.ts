/**
 * `LearnerActive` data is exactly `{}`: a class with no validated property, so the whitelist
 * (forbidNonWhitelisted, with forbidUnknownValues off) refuses every key, each by name.
 */
export class LearnerActiveData {}
