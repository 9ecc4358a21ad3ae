# Shared shell helpers for the examples module's tasks, shipped with them through "files".
json_string() {
  printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"
}
