export * from './postgres-event-store';
export { copyFrom, copyRow, openCopy } from './copy-from';
