export * from './sqlite-event-store';
export * from './write-lock';
export { EVENT_INDEXES, TYPE_INDEX } from './deferred-indexes';
