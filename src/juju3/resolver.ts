import * as E from 'fp-ts/lib/Either.js';
import {
  errorOutcome,
  type Hook,
  hook,
  hookOutcome,
  type LocalUnit,
  NONE,
  type Outcome,
  type RelationInfo,
  type RelationState,
  type RemoteRelation,
  sortedKeys,
  type Versions,
} from './types.ts';
import { goMapText, unitApplication } from './unitName.ts';

/**
 * What every step of the relation resolver reads: the relation, the local
 * unit, the local state, and the remote view after J3-REMOTE-BROKEN.
 */
export interface ResolveInput {
  readonly info: RelationInfo;
  readonly local: LocalUnit;
  readonly state: RelationState;
  readonly remote: RemoteRelation;
}

export interface StepContext extends ResolveInput {
  /** The unit is dying, or the relation dying or suspended. */
  readonly broken: boolean;
  /** Remote units, empty when broken. */
  readonly remoteMembers: Versions;
  /** Remote application versions, empty when broken. */
  readonly remoteApps: Versions;
  /** Local members (a nil map reads as empty). */
  readonly localMembers: Versions;
  /** The union of local and remote unit names, in Go's sort order. */
  readonly units: readonly string[];
}

/** One rule of the resolver: a hook, an error, or nothing so the next rule is asked. */
export type Step = (ctx: StepContext) => Outcome;

export interface RuleStep {
  readonly id: string;
  readonly step: Step;
}

const EMPTY: Versions = new Map();

export const isBroken = (local: LocalUnit, remote: RemoteRelation): boolean =>
  local.life === 'dying' || remote.life === 'dying' || remote.suspended;

export const stepContext = (input: ResolveInput): StepContext => {
  const broken = isBroken(input.local, input.remote);
  const remoteMembers = broken ? EMPTY : input.remote.members;
  const localMembers = input.state.members ?? EMPTY;
  return {
    ...input,
    broken,
    remoteMembers,
    remoteApps: broken ? EMPTY : input.remote.applicationMembers,
    localMembers,
    units: sortedKeys(localMembers, remoteMembers),
  };
};

/** The first unit hook a step finds, or an error naming a bad unit. */
const unitHook = (unit: string, make: (app: string) => Hook): Outcome => {
  const app = unitApplication(unit);
  return E.isLeft(app) ? errorOutcome(app.left) : hookOutcome(make(app.right));
};

const pendingFirst: Step = (ctx) => {
  const unit = ctx.state.changedPending;
  if (unit === '') return NONE;
  const app = unitApplication(unit);
  if (E.isLeft(app)) return errorOutcome(`changed pending held an invalid unit name: ${app.left}`);
  return hookOutcome(
    hook('relation-changed', ctx.state.relationId, {
      remoteUnit: unit,
      remoteApplication: app.right,
      changeVersion: ctx.remoteMembers.get(unit) ?? 0n,
    }),
  );
};

const emptyUnit: Step = (ctx) =>
  ctx.units.includes('')
    ? errorOutcome(
        `somehow we got the empty unit. localState: ${goMapText(ctx.state.members)}, remote: ${goMapText(ctx.remoteMembers)}`,
      )
    : NONE;

const departingUnit = (ctx: StepContext, unit: string): string =>
  ctx.local.life !== 'alive' || ctx.local.applicationLife !== 'alive' ? ctx.info.localUnit : unit;

const depart: Step = (ctx) => {
  for (const unit of ctx.units) {
    const version = ctx.localMembers.get(unit);
    if (version === undefined || ctx.remoteMembers.has(unit)) continue;
    return unitHook(unit, (app) =>
      hook('relation-departed', ctx.state.relationId, {
        remoteUnit: unit,
        remoteApplication: app,
        changeVersion: version,
        departingUnit: departingUnit(ctx, unit),
      }),
    );
  }
  return NONE;
};

const broken: Step = (ctx) =>
  ctx.broken && !ctx.info.peer
    ? hookOutcome(
        hook('relation-broken', ctx.state.relationId, { remoteApplication: ctx.info.remoteApp }),
      )
    : NONE;

const appChanged: Step = (ctx) => {
  for (const app of sortedKeys(ctx.state.applicationMembers, ctx.remoteApps)) {
    const version = ctx.remoteApps.get(app);
    if (version === undefined) continue;
    if ((ctx.state.applicationMembers.get(app) ?? 0n) === version) continue;
    return hookOutcome(
      hook('relation-changed', ctx.state.relationId, {
        remoteApplication: app,
        changeVersion: version,
      }),
    );
  }
  return NONE;
};

const join: Step = (ctx) => {
  for (const unit of ctx.units) {
    const version = ctx.remoteMembers.get(unit);
    if (version === undefined || ctx.localMembers.has(unit)) continue;
    return unitHook(unit, (app) =>
      hook('relation-joined', ctx.state.relationId, {
        remoteUnit: unit,
        remoteApplication: app,
        changeVersion: version,
      }),
    );
  }
  return NONE;
};

const unitChanged: Step = (ctx) => {
  for (const unit of ctx.units) {
    const version = ctx.remoteMembers.get(unit);
    const known = ctx.localMembers.get(unit);
    if (version === undefined || known === undefined || version === known) continue;
    return unitHook(unit, (app) =>
      hook('relation-changed', ctx.state.relationId, {
        remoteUnit: unit,
        remoteApplication: app,
        changeVersion: version,
      }),
    );
  }
  return NONE;
};

/** The relation resolver's rules in the order Juju tries them; the first answer wins. */
export const RESOLVER_STEPS: readonly RuleStep[] = [
  { id: 'J3-PENDING-FIRST', step: pendingFirst },
  { id: 'J3-EMPTY-UNIT', step: emptyUnit },
  { id: 'J3-DEPART', step: depart },
  { id: 'J3-BROKEN', step: broken },
  { id: 'J3-APP-CHANGED', step: appChanged },
  { id: 'J3-JOIN', step: join },
  { id: 'J3-UNIT-CHANGED', step: unitChanged },
];

/** Ask each step in turn; nothing from every step is J3-NONE. */
export const runSteps = (steps: readonly RuleStep[], ctx: StepContext): Outcome => {
  for (const { step } of steps) {
    const outcome = step(ctx);
    if (outcome._tag !== 'None') return outcome;
  }
  return NONE;
};

/** The next hook of one relation with local state, from the relation resolver alone. */
export const resolveRelation = (
  input: ResolveInput,
  steps: readonly RuleStep[] = RESOLVER_STEPS,
): Outcome => runSteps(steps, stepContext(input));
