export * from './csv';
export * from './report-export';
export * from './report-html';
export * from './xlsx';
