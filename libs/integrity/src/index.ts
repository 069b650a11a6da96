export * from './canonical-json';
export * from './checkpoint';
export * from './cosignature';
export * from './hashing';
export * from './merkle-tree';
export * from './rfc6962-test-vectors';
export * from './signed-note';
export * from './signed-note-test-vectors';
