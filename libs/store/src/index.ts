export * from './append-plan';
export * from './event-store.module';
export * from './event-store.port';
export * from './log-record';
export * from './open-event-store';
export * from './position-at';
export * from './store-failure';
