#!/bin/sh
# Uses a helper shipped in the module's files/: Bolt places it under $PT__installdir.
. "$PT__installdir/examples/files/common.sh"
i=0
out=""
while [ "$i" -lt "${PT_times:-1}" ]; do
  out="$out${out:+ }Hello, $PT_name!"
  i=$((i + 1))
done
if [ "$PT__noop" = "true" ]; then
  printf '{"greeting": %s, "noop": true}\n' "$(json_string "$out")"
else
  printf '{"greeting": %s}\n' "$(json_string "$out")"
fi
