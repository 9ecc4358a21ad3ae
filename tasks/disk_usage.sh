#!/bin/sh
# Disk usage of a path, as JSON. Parameters arrive as PT_* environment variables.
path=${PT_path:-/}
df -P "$path" | awk -v p="$path" 'NR==2 {
  gsub(/%/, "", $5)
  printf "{\"path\": \"%s\", \"filesystem\": \"%s\", \"size_kb\": %d, \"used_kb\": %d, \"used_percent\": %d}\n", p, $1, $2, $3, $5
}'
