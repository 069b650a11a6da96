export * from './postgres-event-store';
export { copyFrom, copyHex, copyNullable, copyText } from './copy-from';
