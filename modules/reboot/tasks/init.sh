#!/bin/sh
# Reboot (or, with shutdown_only, power off) TIMEOUT seconds from now, in the background, so that the
# task reports before the host goes down. The parameters are those of the Forge's puppetlabs-reboot,
# so plans written for it run with this one, and the other way round.
timeout=${PT_timeout:-3}
[ "$timeout" -lt 3 ] && timeout=3 # the task's answer must get out first
flag=-r
[ "${PT_shutdown_only:-false}" = true ] && flag=-P
export PATH="$PATH:/usr/sbin:/sbin"
nohup sh -c 'sleep "$1"; shutdown "$2" now "${PT_message:-Rebooted by jbolt}" || reboot' \
  sh "$timeout" "$flag" </dev/null >/dev/null 2>&1 &
echo "{\"status\": \"queued\", \"timeout\": $timeout}"
