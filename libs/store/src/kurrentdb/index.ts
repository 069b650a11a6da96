export * from './kurrentdb-event-store';
export * from './log-event-codec';
