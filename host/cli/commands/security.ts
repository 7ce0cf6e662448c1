/**
 * `security`: shows who may query, start, stop or configure a service (its owner and DACL, as SDDL
 * and one line per ACE), and sets it (`--sddl`) or adds an operator group (`--allow-control`).
 * Any service, on this machine or another. Wine's SCM keeps no service security: there it says so.
 * @module
 */
import { allowControl, getSecurity, setSecurity } from '../../../runtime/control/service-control.ts';
import { checkServiceSecurity } from '../../../runtime/control/service-definition.ts';
import { administratorsKeepControl, describeDacl, reportsNoSecurity, type DescribedAce } from '../../../runtime/control/service-sddl.ts';
import { resolveSids } from '../../../installer/accounts.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { allowControlOption } from './service-options.ts';
import { UsageError } from '../usage-error.ts';

/** SIDs every Windows machine writes the same way, for the listing. */
const WELL_KNOWN_NAMES: Record<string, string> = {
  SY: 'SYSTEM',
  BA: 'Administrators',
  BU: 'Users',
  IU: 'INTERACTIVE',
  SU: 'SERVICE',
  AU: 'Authenticated Users',
  WD: 'Everyone',
  LS: 'LOCAL SERVICE',
  NS: 'NETWORK SERVICE',
  PU: 'Power Users',
  SO: 'Server Operators',
};

/** One line per ACE: `allow  Administrators (S-1-5-32-544)  QUERY_CONFIG, CHANGE_CONFIG, …`. */
export function formatAces(aces: readonly DescribedAce[]): string[] {
  return aces.map((ace) => {
    const who = ace.alias && WELL_KNOWN_NAMES[ace.alias] ? `${WELL_KNOWN_NAMES[ace.alias]} (${ace.sid})` : ace.sid;
    const flags = ace.flags ? `  [${ace.flags}]` : '';
    return `  ${ace.type.padEnd(5)}  ${who}  ${ace.rights.join(', ') || '(no service rights)'}${flags}`;
  });
}

const options = {
  sddl: { type: 'string' },
  'allow-control': { type: 'string', multiple: true },
  machine: { type: 'string' },
  json: { type: 'boolean' },
  force: { type: 'boolean' },
} as const;

export const securityCommand: Command = {
  name: 'security',
  usage: '<name> [--sddl SDDL [--force] | --allow-control GROUP|ACCOUNT|SID ...] [--machine M] [--json]',
  summary: 'show who may query, start, stop or configure a service (SDDL); set it, or let a group control it',
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, options, { names: ['name'] });
    const name = positionals[0]!;
    const target = { machine: values.machine };
    const allowed = allowControlOption(values['allow-control']);
    if (values.sddl !== undefined && allowed !== undefined)
      throw new UsageError('--sddl and --allow-control contradict each other: use one');
    if (values.sddl !== undefined) {
      try {
        checkServiceSecurity(values.sddl);
      } catch (error) {
        throw new UsageError(`--sddl: ${(error as Error).message}`);
      }
      if (!values.force && !administratorsKeepControl(values.sddl)) {
        throw new UsageError(
          '--sddl: this DACL would leave Administrators unable to change it back (no WRITE_DAC for BA): add (A;;GA;;;BA), or pass --force',
        );
      }
      setSecurity(name, values.sddl, target);
    }
    // Names are looked up on this machine: run on the service's machine to name its local groups.
    if (allowed !== undefined) allowControl(name, resolveSids(allowed), target);
    const sddl = getSecurity(name, target);
    const kept = !reportsNoSecurity(sddl);
    if (values.json) {
      console.log(JSON.stringify({ name, sddl, kept, aces: describeDacl(sddl) }, null, 2));
      return;
    }
    console.log(`${name}  ${sddl}`);
    console.log(formatAces(describeDacl(sddl)).join('\n') || '  (no ACEs)');
    if (!kept) console.log("  This SCM reports no owner: it keeps no service security (Wine's SCM); what was set is not shown.");
  },
};
