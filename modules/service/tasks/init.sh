#!/bin/sh
# Manage a system service with systemctl, or the service command where systemd is absent.
set -u
case "$PT_action" in
  start|stop|restart|enable|disable|status) ;;
  *) echo "{\"_error\": {\"kind\": \"service/bad-action\", \"msg\": \"unknown action $PT_action\"}}"; exit 1 ;;
esac
if command -v systemctl >/dev/null 2>&1; then
  out=$(systemctl "$PT_action" "$PT_name" 2>&1); rc=$?
else
  case "$PT_action" in
    enable) out=$(update-rc.d "$PT_name" enable 2>&1); rc=$? ;;
    disable) out=$(update-rc.d "$PT_name" disable 2>&1); rc=$? ;;
    *) out=$(service "$PT_name" "$PT_action" 2>&1); rc=$? ;;
  esac
fi
printf '{"action": "%s", "name": "%s", "exit_code": %d, "output": "%s"}\n' "$PT_action" "$PT_name" "$rc" \
  "$(printf '%s' "$out" | tr '\n"\\' '   ')"
exit $rc
