// The on-disk relation state (Juju's StateDir) over a file-system port.
export * from './check.ts';
export * from './crash.ts';
export * from './errno.ts';
export * from './errors.ts';
export * from './faults.ts';
export * from './fsPort.ts';
export * from './nodeFs.ts';
export * from './read.ts';
export * from './recorder.ts';
export * from './stateDir.ts';
export * from './write.ts';
