# Sourced by ./jbolt and scripts/test: sets JBOLT_JAVA_HOME to a JDK 21 or newer.
# Looks at JAVA_HOME, then `java` on PATH, then /usr/lib/jvm/*; says what is missing when none fits.
# `jbolt_find_java runtime` (an installed release, which builds nothing) takes a JRE as well.

jbolt_java_major() { # $1: a JDK home; prints its major version, or nothing
  local rel="$1/release" v
  if [[ -r $rel ]]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$rel")
  elif [[ -x $1/bin/java ]]; then
    v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
  fi
  [[ $v == 1 ]] && v=8
  echo "$v"
}

jbolt_find_java() {
  local candidates=() home runtime=${1:-} first=0
  [[ -n ${JAVA_HOME:-} ]] && candidates+=("$JAVA_HOME") && first=$((first + 1))
  if command -v java >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    candidates+=("$home") && first=$((first + 1))
  fi
  for home in "${JBOLT_JVM_DIR:-/usr/lib/jvm}"/*; do # JBOLT_JVM_DIR: for its test
    [[ -d $home ]] && candidates+=("$home")
  done
  local best="" best_v=0 v i=0
  for home in "${candidates[@]}"; do
    i=$((i + 1))
    [[ -x $home/bin/java && (-n $runtime || -x $home/bin/javac) ]] || continue
    v=$(jbolt_java_major "$home")
    [[ -n $v && $v -ge 21 ]] || continue
    # The first that fits wins (JAVA_HOME, then PATH), else the newest under /usr/lib/jvm.
    if ((i <= first)); then best=$home; best_v=$v; break; fi
    if ((v > best_v)); then best=$home; best_v=$v; fi
  done
  if [[ -z $best && -n $runtime ]]; then
    echo "jbolt: needs Java 21 or newer: none in JAVA_HOME, on PATH or under /usr/lib/jvm." >&2
    echo "jbolt: Debian 13: apt-get install openjdk-21-jre-headless; Debian 12: Temurin 21+ from Adoptium's apt repository (https://adoptium.net/installation/linux/); or set JAVA_HOME to a Java 21+." >&2
    return 1
  elif [[ -z $best ]]; then
    echo "jbolt: needs a JDK 21 or newer (with javac): none in JAVA_HOME, on PATH or under /usr/lib/jvm." >&2
    echo "jbolt: Debian 13: apt-get install openjdk-21-jdk-headless; Debian 12: Temurin 21+ from Adoptium's apt repository (https://adoptium.net/installation/linux/); or set JAVA_HOME to a JDK 21+." >&2
    return 1
  fi
  JBOLT_JAVA_HOME=$best
}
