/** The scenario phases of `conform --profile juju-3`, in the order they run. */
export const JUJU3_PHASES = ['one relation', 'several relations', 'restarts', 'bad input'] as const;
export type Juju3Phase = (typeof JUJU3_PHASES)[number];
