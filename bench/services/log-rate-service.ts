/**
 * Measures `logMsg` in a service run by host.exe under the SCM (the Event Log path: ReportEventW
 * under the service's source). Started with two arguments, the result file and the duration in
 * ms, it logs as fast as it can for that long, writes `{"callsPerSecond": n}` and stops.
 */
import fs from 'node:fs';
import { logInfoMsg, ServiceFramework } from 'nodeservice';

export default class LogRateService extends ServiceFramework {
  static override svcName = 'BenchLogRate';

  svcDoRun(): void {
    const [resultFile, durationText = '1000'] = this.args;
    if (!resultFile) throw new Error('start me with the result file (and the duration in ms) as arguments');
    const duration = Number(durationText);
    const started = performance.now();
    let calls = 0;
    while (performance.now() - started < duration) {
      logInfoMsg(`benchmark entry ${calls}`);
      calls++;
    }
    const seconds = (performance.now() - started) / 1000;
    fs.writeFileSync(resultFile, JSON.stringify({ callsPerSecond: calls / seconds }));
  }
}
