# Sourced by bin/* and .ci/run: points JAVA_HOME at a JDK 25 or stops with a clear message.
# Order: $JAVA_HOME if it is a JDK 25+, then /usr/lib/jvm/*25* (Temurin, OpenJDK), then java on the PATH.
jsbi_java_feature() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
jsbi_find_jdk25() {
  local cand v
  for cand in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/java-25* /usr/lib/jvm/*-25-* \
              "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] && [ -x "$cand/bin/javac" ] || continue
    v=$(jsbi_java_feature "$cand")
    if [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null; then echo "$cand"; return 0; fi
  done
  return 1
}
if JSBI_JDK=$(jsbi_find_jdk25); then
  export JAVA_HOME="$JSBI_JDK"
  export PATH="$JAVA_HOME/bin:$PATH"
else
  echo "jsbi: no JDK 25 found. jsbi needs JDK 25 (the Vector API of JDK 25, release 25)." >&2
  echo "      Install one (e.g. Eclipse Temurin 25) and set JAVA_HOME to it; looked at \$JAVA_HOME=${JAVA_HOME:-unset}," >&2
  echo "      /usr/lib/jvm/*25* and the java on the PATH." >&2
  exit 1
fi
