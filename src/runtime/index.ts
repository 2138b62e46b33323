export * from './channel.ts';
export * from './errors.ts';
export * from './peeker.ts';
export * from './queue.ts';
export * from './sender.ts';
