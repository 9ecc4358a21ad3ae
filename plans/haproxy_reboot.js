// Rolling reboot of the backends behind HAProxy: one backend at a time is taken out of service,
// rebooted, waited for, and put back, so that the others keep serving. The tasks it calls take the
// parameters of the Forge's puppetlabs-service and puppetlabs-reboot, so it runs unchanged with
// those modules installed instead of this project's examples.
export const description = 'Reboot backends one at a time: stop and disable the service, reboot, wait, enable and start it';

export const params = {
  targets: { type: 'TargetSpec', description: 'The backends to reboot, one after another' },
  service: { type: 'String[1]', default: 'haproxy', description: 'The service to take down and bring back' },
  wait_time: { type: 'Integer[1]', default: 600, description: 'Seconds to wait for a backend to come back' },
  reboot_timeout: { type: 'Integer[3]', default: 3, description: 'Seconds from the reboot task to the reboot itself' },
};

export default function ({ targets, service, wait_time, reboot_timeout }) {
  const backends = get_targets(targets);
  // Never this machine: the local transport would stop its services and reboot it.
  const local = backends.filter((t) => t.transport === 'local').map((t) => t.name);
  if (local.length > 0) {
    fail_plan(
      `haproxy_reboot reboots its targets, and ${local.join(', ')} would be this machine` +
        ' (local transport): give it the SSH names of the backends',
      'haproxy_reboot/local-target');
  }
  const done = [];
  for (const backend of backends) {
    out.message(`Rebooting ${backend.name}`);
    run_task('service', backend, { action: 'stop', name: service });
    run_task('service', backend, { action: 'disable', name: service });
    run_task('reboot', backend, { timeout: reboot_timeout, message: `Rebooted by haproxy_reboot` });
    ctrl.sleep(reboot_timeout + 2); // until it is surely down: a host still up looks available
    wait_until_available(backend, { wait_time, retry_interval: 1 });
    run_task('service', backend, { action: 'enable', name: service });
    run_task('service', backend, { action: 'start', name: service });
    done.push(backend.name);
  }
  return { rebooted: done };
}
