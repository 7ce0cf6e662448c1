import { describe, expect, it } from 'vitest';
import { formatConfig } from '../../../../../host/cli/commands/control.ts';
import { serviceConfig } from '../../../service-config.ts';

const config = serviceConfig('S');

describe('formatConfig', () => {
  it('shows the failure actions, the reset and the non-crash flag', () => {
    const lines = formatConfig(config);
    expect(lines).toContain('  On failure: restart/1000, restart/5000, restart/30000');
    expect(lines).toContain('  Failure reset (s): 86400');
    expect(lines).toContain('  Act on non-crash failures: yes');
  });

  it('says plainly when nothing restarts the service', () => {
    const lines = formatConfig({ ...config, failure: { ...config.failure, actions: [], onNonCrashFailures: false } });
    expect(lines).toContain('  On failure: nothing (the SCM does not restart it)');
    expect(lines.some((line) => line.startsWith('  Failure reset'))).toBe(false);
  });

  it('shows one line per trigger, in the --trigger syntax', () => {
    const lines = formatConfig({
      ...config,
      triggers: [
        { action: 'start', type: 'networkAvailable' },
        { action: 'start', type: 'firewallPortOpen', port: 8080, protocol: 'tcp' },
      ],
    });
    expect(lines.filter((line) => line.startsWith('  Trigger:'))).toEqual(['  Trigger: start:network', '  Trigger: start:port=tcp/8080']);
    expect(formatConfig(config).some((line) => line.startsWith('  Trigger'))).toBe(false);
  });
});
