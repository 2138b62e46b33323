import type { TraceLine } from './driver.ts';

/**
 * Which guarantee clauses a well-behaved trace gives occasion to check: a
 * clause is reached when the trace contains the situation it speaks about
 * (a join for G2, a broken hook for G4, an idle agent for G7...). The
 * monitor checks them; this only counts where it had something to check.
 */
export const reachedClauses = (trace: readonly TraceLine[]): Set<string> => {
  const out = new Set<string>();
  let dying = false;
  let hooksInRun = 0;
  let starts = 0;
  let sawChange = false;
  for (const line of trace) {
    switch (line.type) {
      case 'start':
        out.add('T1');
        out.add('T2');
        starts += 1;
        if (starts > 1) out.add('G9b');
        dying = false;
        hooksInRun = 0;
        sawChange = false;
        break;
      case 'change': {
        out.add('A2');
        out.add('A3');
        out.add('A4');
        if (!sawChange) out.add('A1');
        sawChange = true;
        break;
      }
      case 'dying':
        dying = true;
        out.add('T3');
        break;
      case 'idle':
        out.add(dying ? 'G7b' : 'G7a');
        out.add('G9a');
        break;
      case 'hook': {
        const hook = line.hook as { kind?: string };
        hooksInRun += 1;
        out.add('G1');
        out.add('G5a');
        out.add('G9c');
        if (!dying) out.add('G8a');
        if (hooksInRun > 1) out.add('G9a');
        if (dying) out.add('G8c');
        else if (hooksInRun > 1) out.add('G8b');
        if (hook.kind === 'relation-joined') {
          out.add('G2');
          out.add('G3b');
          out.add('G6');
        }
        if (hook.kind === 'relation-changed') {
          out.add('G3a');
          out.add('G5b');
          if (!dying) out.add('G3c');
        }
        if (hook.kind === 'relation-departed') {
          out.add('G3a');
          if (!dying) out.add('G3c');
        }
        if (hook.kind === 'relation-broken') {
          out.add('G4a');
          out.add('G4b');
          out.add('G4c');
        }
        break;
      }
      default:
        break;
    }
  }
  return out;
};
