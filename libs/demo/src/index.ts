export { PUBLICATION_KNOWN_AT, PUBLISHED, demoTargets, roundsTo } from './demo-calibration';
export type { DemoTargets, DemoPeriodTargets } from './demo-calibration';
export { demoCorrections, demoHistory, generateDemoBatches } from './demo-data.generator';
export type { DemoBatch, DemoHistory, DemoOptions } from './demo-data.generator';
export { writeDemoFiles } from './demo-data.writer';
export type { BatchRange, DemoFilesSummary } from './demo-data.writer';
export type { DemoCorrections } from './demo-plan';
export { demoTextBatches } from './demo-history-in-worker';
export type { DemoTextBatch } from './demo-history-in-worker';
