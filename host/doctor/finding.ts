/**
 * What `doctor` reports: one finding per thing checked, each with a status and, when something is
 * wrong, what to do about it. A check Wine cannot carry out (it keeps no file ACLs, stores no Event
 * Log records, runs no failure actions) is reported as `not-shown`, never as a failure, so a clean
 * Wine machine is healthy. Pure: formatting and the exit code are unit-tested.
 * @module
 */

/** How a check came out. */
export type FindingStatus = 'ok' | 'warning' | 'error' | 'not-shown';

/** One thing doctor checked. */
export interface Finding {
  /** What was checked: `registration`, `services folder`, `service Web`… */
  subject: string;
  status: FindingStatus;
  /** What was found, in a sentence. */
  message: string;
  /** What to do, when something is wrong. */
  fix?: string;
}

/** doctor's exit code when a finding is an error (0 otherwise; 2 for a bad command line). */
export const DOCTOR_ERROR_EXIT_CODE = 1;

const LABELS: Record<FindingStatus, string> = { ok: 'ok', warning: 'WARNING', error: 'ERROR', 'not-shown': 'not shown' };

/** The counts by status. */
export function tally(findings: readonly Finding[]): Record<FindingStatus, number> {
  const counts: Record<FindingStatus, number> = { ok: 0, warning: 0, error: 0, 'not-shown': 0 };
  for (const finding of findings) counts[finding.status]++;
  return counts;
}

/** 0 when no finding is an error, else DOCTOR_ERROR_EXIT_CODE. */
export function doctorExitCode(findings: readonly Finding[]): number {
  return findings.some((finding) => finding.status === 'error') ? DOCTOR_ERROR_EXIT_CODE : 0;
}

/** The findings as doctor prints them: one line each (`[ERROR] subject: message`), the fix indented below, and a summary. */
export function formatFindings(findings: readonly Finding[]): string {
  const width = Math.max(...Object.values(LABELS).map((label) => label.length)) + 2;
  const lines = findings.flatMap((finding) => [
    `${`[${LABELS[finding.status]}]`.padEnd(width)} ${finding.subject}: ${finding.message}`,
    ...(finding.fix ? [`${' '.repeat(width)}   fix: ${finding.fix}`] : []),
  ]);
  const counts = tally(findings);
  const verdict = counts.error ? 'problems found' : 'healthy';
  lines.push(
    '',
    `${verdict}: ${counts.error} error(s), ${counts.warning} warning(s), ${counts.ok} ok, ${counts['not-shown']} not shown here`,
  );
  return lines.join('\n');
}

/** Runs a check; a check that throws becomes an error finding about its subject instead of ending doctor. */
export async function runCheck(subject: string, check: () => Finding[] | Promise<Finding[]>): Promise<Finding[]> {
  try {
    return await check();
  } catch (error) {
    return [
      {
        subject,
        status: 'error',
        message: `the check itself failed: ${error instanceof Error ? error.message : String(error)}`,
        fix: 'report this with the message above',
      },
    ];
  }
}
