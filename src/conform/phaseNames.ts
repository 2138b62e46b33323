/**
 * The names of the scenario phases, in run order, kept apart from the
 * phases themselves so that the CLI can offer them without loading the
 * oracle (and fast-check) on every `relspec` start.
 */
export const SCENARIO_PHASE_NAMES = [
  'well-behaved',
  'A1 broken',
  'A2 broken',
  'A3 broken',
  'A4 broken',
  'API misuse',
] as const;
