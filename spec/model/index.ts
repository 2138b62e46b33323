export * from './clauses.ts';
export * from './monitor.ts';
export * from './pretty.ts';
export * from './report.ts';
export * from './validity.ts';
