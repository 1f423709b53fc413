# Shared by ./mvnw and ./sotto: find a JDK whose version is at least SOTTO_MIN_JDK (default 21).
# Looks at JAVA_HOME, the java on PATH, then the usual JDK folders. Prints the JDK home or nothing.
sotto_java_major() {
  # $1 = path to a java executable; prints its feature version (17, 21, 25...).
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

sotto_find_jdk() {
  min=${SOTTO_MIN_JDK:-21}
  candidates=""
  [ -n "${JAVA_HOME:-}" ] && candidates="$JAVA_HOME"
  if command -v java >/dev/null 2>&1; then
    onpath=$(command -v java)
    onpath=$(readlink -f "$onpath" 2>/dev/null || echo "$onpath")
    candidates="$candidates ${onpath%/bin/java}"
  fi
  for d in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.jdks/* "$HOME"/.sdkman/candidates/java/* \
           /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$d" ] && candidates="$candidates $d"
  done
  best="" best_v=0
  for home in $candidates; do
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
    v=$(sotto_java_major "$home/bin/java")
    [ -n "$v" ] || continue
    if [ "$v" -ge "$min" ] && [ "$v" -gt "$best_v" ]; then best="$home"; best_v="$v"; fi
  done
  if [ -n "$best" ]; then printf '%s\n' "$best"; fi
}

sotto_require_jdk() {
  home=$(sotto_find_jdk || true)
  if [ -z "$home" ]; then
    echo "sotto: no JDK ${SOTTO_MIN_JDK:-21} or newer found (looked at JAVA_HOME, PATH and the usual JDK folders)." >&2
    echo "sotto: install one, e.g. 'apt-get install openjdk-21-jdk' or Eclipse Temurin 21+, or set JAVA_HOME to it." >&2
    exit 1
  fi
  printf '%s\n' "$home"
}
