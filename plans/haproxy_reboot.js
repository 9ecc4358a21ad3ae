// Rolling reboot of the backends behind HAProxy: one backend at a time is taken out of service,
// rebooted, waited for, and put back, so that the others keep serving.
export const description = 'Reboot backends one at a time: stop and disable the service, reboot, wait, enable and start it';

export const params = {
  targets: { type: 'TargetSpec', description: 'The backends to reboot, one after another' },
  service: { type: 'String[1]', default: 'haproxy', description: 'The service to take down and bring back' },
  wait_time: { type: 'Integer[1]', default: 600, description: 'Seconds to wait for a backend to come back' },
  reboot_delay: { type: 'Integer[1]', default: 3, description: 'Seconds from the reboot task to the reboot itself' },
};

export default function ({ targets, service, wait_time, reboot_delay }) {
  const done = [];
  for (const backend of get_targets(targets)) {
    out.message(`Rebooting ${backend.name}`);
    run_task('service', backend, { action: 'stop', name: service });
    run_task('service', backend, { action: 'disable', name: service });
    run_task('reboot', backend, { delay: reboot_delay });
    ctrl.sleep(reboot_delay + 2); // until it is surely down: a host still up looks available
    wait_until_available(backend, { wait_time, retry_interval: 1 });
    run_task('service', backend, { action: 'enable', name: service });
    run_task('service', backend, { action: 'start', name: service });
    done.push(backend.name);
  }
  return { rebooted: done };
}
