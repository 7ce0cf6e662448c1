/**
 * Measures the output capture in a service run by host.exe under the SCM: the same numbered lines
 * written to process.stdout (which the host captures to the service's log file) and to a file of
 * its own with fs.createWriteStream, alternately, in the same run, each timed until the last line is
 * out of the service's hands: for stdout, the
 * main thread took it (and so wrote it: the capture writes synchronously); for the stream, 'finish'.
 * Each is measured twice: waiting for 'drain' (paced), and writing without waiting as console.log
 * does (unpaced: the stream buffers). Started with the result file and the line count, it writes
 * `{"capture": [...], "direct": [...], "captureUnpaced": [...], "directUnpaced": [...]}` (lines
 * per second, one per round) and stops.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import { ServiceFramework } from 'nodeservice';

const ROUNDS = 3;
const PAD = 'x'.repeat(60);

async function linesPerSecond(stream: NodeJS.WritableStream, count: number, end: boolean, backpressure: boolean): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    if (!stream.write(`benchmark line ${i} ${PAD}\n`) && backpressure) await once(stream, 'drain');
  }
  await new Promise<void>((resolve) => (end ? stream.end(resolve) : stream.write('', () => resolve())));
  return count / ((performance.now() - started) / 1000);
}

export default class OutputRateService extends ServiceFramework {
  static override svcName = 'BenchOutputRate';

  async svcDoRun(): Promise<void> {
    const [resultFile, countText = '50000'] = this.args;
    if (!resultFile) throw new Error('start me with the result file (and the line count) as arguments');
    const count = Number(countText);
    const results = { capture: [] as number[], direct: [] as number[], captureUnpaced: [] as number[], directUnpaced: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      results.capture.push(await linesPerSecond(process.stdout, count, false, true));
      results.direct.push(await linesPerSecond(fs.createWriteStream(`${resultFile}.direct-${round}.log`), count, true, true));
      results.captureUnpaced.push(await linesPerSecond(process.stdout, count, false, false));
      results.directUnpaced.push(await linesPerSecond(fs.createWriteStream(`${resultFile}.unpaced-${round}.log`), count, true, false));
    }
    fs.writeFileSync(resultFile, JSON.stringify(results));
  }
}
