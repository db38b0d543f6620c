# Finds a JDK 21 or newer; sourced by ./nemobot (and through it by .ci/run), the one copy of this search.
# After `nemobot_find_jdk`, JAVA_HOME and PATH point at the newest JDK 21+ among JAVA_HOME, the javac on PATH
# and the usual install folders; without one it prints which java it did find and how to get 21+, and returns 1.

nemobot_java_major() { # prints the major version of the java at $1/bin/java, or nothing
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

nemobot_pick_jdk() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  local d dirs=()
  if [ -n "${NEMOBOT_JDK_DIRS+set}" ]; then
    # a space-separated list of folders replaces the usual ones below (e.g. to test the message when none is found)
    read -r -a dirs <<<"$NEMOBOT_JDK_DIRS"
  else
    dirs=(/usr/lib/jvm/* /opt/java/* /opt/jdk* /Library/Java/JavaVirtualMachines/*/Contents/Home
          "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*)
  fi
  for d in ${dirs[@]+"${dirs[@]}"}; do
    [ -d "$d" ] && candidates+=("$d")
  done
  local best="" best_v=0 v
  for d in "${candidates[@]}"; do
    [ -x "$d/bin/javac" ] || continue
    v=$(nemobot_java_major "$d")
    [ -n "$v" ] || continue
    if [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best="$d"; best_v="$v"; fi
  done
  [ -n "$best" ] && echo "$best"
}

nemobot_find_jdk() {
  local found
  if found=$(nemobot_pick_jdk); then
    export JAVA_HOME="$found"
    export PATH="$JAVA_HOME/bin:$PATH"
    return 0
  fi
  local seen="none"
  if command -v java >/dev/null 2>&1; then
    seen="$(command -v java) ($(java -version 2>&1 | head -n 1))"
  fi
  {
    echo "nemobot needs a JDK 21 or newer; none found (looked at JAVA_HOME, javac on PATH, /usr/lib/jvm, /opt,"
    echo "~/.sdkman and ~/.jdks). The java found: $seen."
    echo "Get one, e.g. 'sudo apt-get install openjdk-21-jdk-headless', 'brew install openjdk@21',"
    echo "'sdk install java 21-tem' or https://adoptium.net, or set JAVA_HOME to a JDK 21+, and run again."
  } >&2
  return 1
}
