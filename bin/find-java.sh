# Sourced by ./engram and .ci/run: exports JAVA_HOME (and PATH) pointing at a JDK >= 21.
# Order: $JAVA_HOME, then `java` on PATH, then the newest JDK under /usr/lib/jvm.
# Fails with a clear message when none qualifies.
engram_java_version() {
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

engram_find_java() {
  local chosen="" c v best_v=0
  for c in "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java 2>/dev/null || true)"; do
    [ -n "$c" ] && [ -x "$c" ] || continue
    v=$(engram_java_version "$c")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then chosen="$c"; break; fi
  done
  if [ -z "$chosen" ]; then
    for c in /usr/lib/jvm/*/bin/java; do
      [ -x "$c" ] || continue
      v=$(engram_java_version "$c")
      if [ -n "$v" ] && [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then chosen="$c"; best_v="$v"; fi
    done
  fi
  if [ -z "$chosen" ]; then
    echo "engram: no Java 21 or newer found (checked \$JAVA_HOME, java on PATH, /usr/lib/jvm/*)." >&2
    echo "engram: install a JDK >= 21 (e.g. Temurin 21 or 25) or set JAVA_HOME to one." >&2
    return 1
  fi
  JAVA_HOME=$(cd "$(dirname "$(readlink -f "$chosen")")/.." && pwd -P)
  export JAVA_HOME
  export PATH="$JAVA_HOME/bin:$PATH"
}
