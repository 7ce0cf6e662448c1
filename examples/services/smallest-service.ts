/**
 * The smallest service: it starts, waits for a stop request, and stops.
 *
 *   host.exe install dist\examples\smallest-service.js
 *   net start SmallestService
 */
import { once } from 'node:events';
import { ServiceFramework } from 'nodeservice';

export default class SmallestService extends ServiceFramework {
  static override svcName = 'SmallestService';
  static override svcDisplayName = 'NodeService smallest sample';

  async svcDoRun(): Promise<void> {
    await once(this.stopSignal, 'abort');
  }
}
