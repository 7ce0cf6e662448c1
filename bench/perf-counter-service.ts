// The counter-update benchmark inside host.exe: a service whose counters a PerfLib provider
// publishes (under Wine as on Windows), run with "host.exe debug"; it prints its results and stops.
import { inspectCounters, ServiceFramework } from 'nodeservice';
import { benchmarkCounters, formatMeasurements, measureCounterUpdates } from './perf-counter-measure.ts';

export default class CounterBenchmark extends ServiceFramework<typeof benchmarkCounters> {
  static override svcName = 'NodeServiceCounterBenchmark';
  static override svcCounters = benchmarkCounters;

  svcDoRun(): void {
    const published = inspectCounters(this.counters)?.published ? 'published by a PerfLib provider' : 'NOT published';
    const results = measureCounterUpdates(this.counters);
    console.log(formatMeasurements(`host.exe (Windows Node ${process.version}, counters ${published}):`, results));
    console.log(`  the provider reads: ${JSON.stringify(inspectCounters(this.counters)?.providerValues())}`);
  }
}
