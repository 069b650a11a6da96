export * from './sqlite-event-store';
export * from './write-lock';
