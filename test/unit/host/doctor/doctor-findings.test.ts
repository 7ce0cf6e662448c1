import { describe, expect, it } from 'vitest';
import { doctorExitCode, formatFindings, runCheck, type Finding } from '../../../../host/doctor/finding.ts';

const ok: Finding = { subject: 'registration', status: 'ok', message: 'host C:\\h\\host.exe' };
const wine: Finding = { subject: 'host folder', status: 'not-shown', message: 'Wine keeps no file ACLs' };
const warning: Finding = { subject: 'service A', status: 'warning', message: 'its last run ended with exit code 1066', fix: 'see logs' };
const error: Finding = { subject: 'service B', status: 'error', message: 'its module C:\\s\\b.js does not exist', fix: 'put it back' };

describe('doctor findings', () => {
  it('exit 0 unless a finding is an error: warnings and what Wine cannot show are not failures', () => {
    expect(doctorExitCode([ok, wine, warning])).toBe(0);
    expect(doctorExitCode([ok, error])).toBe(1);
    expect(doctorExitCode([])).toBe(0);
  });

  it('prints one line per finding, the fix under it, and a verdict', () => {
    expect(formatFindings([ok, wine, error]).split('\n')).toEqual([
      '[ok]        registration: host C:\\h\\host.exe',
      '[not shown] host folder: Wine keeps no file ACLs',
      '[ERROR]     service B: its module C:\\s\\b.js does not exist',
      '              fix: put it back',
      '',
      'problems found: 1 error(s), 0 warning(s), 1 ok, 1 not shown here',
    ]);
    expect(formatFindings([ok, wine, warning]).split('\n').at(-1)).toBe('healthy: 0 error(s), 1 warning(s), 1 ok, 1 not shown here');
  });

  it('a check that throws becomes an error finding about its subject, and the others still run', async () => {
    const findings = await runCheck('service C', () => {
      throw new Error('OpenServiceW: Access is denied (5)');
    });
    expect(findings).toEqual([
      {
        subject: 'service C',
        status: 'error',
        message: 'the check itself failed: OpenServiceW: Access is denied (5)',
        fix: 'report this with the message above',
      },
    ]);
    expect(await runCheck('x', async () => [ok])).toEqual([ok]);
  });
});
