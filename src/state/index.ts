export * from './commit.ts';
export * from './validate.ts';
