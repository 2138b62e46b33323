// The simulated agent loop: scenarios in, traces (and what was offered,
// reached and left on disk) out.
export * from './agent.ts';
export * from './persistence.ts';
export * from './sourceOps.ts';
export * from './stateDirPersistence.ts';
