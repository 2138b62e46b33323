// The generators of the property suite, for anyone who needs protocol
// scenarios: watcher worlds obeying (or breaking one of) A1-A4, stored
// states, consumer schedules with crash points and the switch to dying.
export * from './scenario.ts';
export * from './schedule.ts';
export * from './state.ts';
export * from './units.ts';
export * from './world.ts';
