#!/bin/sh
# Reboot in a few seconds, in the background, so that the task can report before the host goes down.
delay=${PT_delay:-3}
nohup sh -c "sleep $delay; shutdown -r now '${PT_message:-Rebooted by jbolt}' || reboot" >/dev/null 2>&1 &
echo "{\"reboot_in\": $delay}"
