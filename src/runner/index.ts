export * from './client.ts';
export * from './errors.ts';
export * from './hello.ts';
export * from './response.ts';
export * from './session.ts';
