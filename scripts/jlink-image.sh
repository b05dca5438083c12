#!/usr/bin/env bash
# Builds the self-contained runtime image of AI-Higress Gateway in target/image:
#
#   target/image/bin/ai-higress            launcher (runs the jar on the image's own java)
#   target/image/bin/{java,jfr,jcmd,...}   the jlink'd Java runtime (only the modules the gateway needs)
#   target/image/app/ai-higress-gateway.jar
#   target/image/app/libs/*.jar            dependencies (the jar's manifest Class-Path points at libs/)
#
# Builds the jar first when target/ai-higress-gateway.jar or target/libs is missing. Uses the JDK in JAVA_HOME
# (or the one `java` on PATH belongs to); it must be JDK 25 or newer, and jdeps and jlink come from that same JDK.
#
# Environment:
#   JAVA_HOME               the JDK to build the runtime from
#   JLINK_EXTRA_MODULES     comma-separated modules to add on top of the computed set (e.g. jdk.localedata)
#   JLINK_CDS=false         skip the CDS archive (saves ~28 MB, costs start-up time; see docs/deployment.md)
#   MVNW_ARGS               extra arguments for ./mvnw when the jar has to be built (e.g. -o)
#
# See docs/deployment.md for the module list and why each module is there.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"

TARGET=$ROOT/target
JAR=$TARGET/ai-higress-gateway.jar
LIBS=$TARGET/libs
IMAGE=$TARGET/image

log() { printf '[jlink-image] %s\n' "$*" >&2; }
die() { printf '[jlink-image] ERROR: %s\n' "$*" >&2; exit 1; }

# --- the JDK -------------------------------------------------------------------------------------------------------
if [[ -z "${JAVA_HOME:-}" ]]; then
    command -v java >/dev/null || die "no JAVA_HOME and no java on PATH; point JAVA_HOME at a JDK 25"
    JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
fi
export JAVA_HOME
for tool in java jdeps jlink; do
    [[ -x "$JAVA_HOME/bin/$tool" ]] || die "$JAVA_HOME/bin/$tool not found: JAVA_HOME must be a full JDK, not a JRE"
done
JAVA_FEATURE=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
[[ -n "$JAVA_FEATURE" && "$JAVA_FEATURE" -ge 25 ]] \
    || die "JDK 25 or newer needed, $JAVA_HOME is Java ${JAVA_FEATURE:-unknown}"
log "JDK: $JAVA_HOME (Java $JAVA_FEATURE)"

# --- the application ------------------------------------------------------------------------------------------------
if [[ ! -f "$JAR" || ! -d "$LIBS" ]]; then
    log "target/ai-higress-gateway.jar or target/libs missing: building them"
    # shellcheck disable=SC2086 # MVNW_ARGS is a list of words on purpose
    ./mvnw -B -q -DskipTests ${MVNW_ARGS:-} package
fi
[[ -f "$JAR" && -d "$LIBS" ]] || die "the build did not produce $JAR and $LIBS"

# --- the modules ----------------------------------------------------------------------------------------------------
# jdeps over the application jar AND every library jar: Helidon finds most of its parts through ServiceLoader and
# its service registry, which jdeps cannot follow from the application's own classes. The explicit modules among the
# libraries (Helidon's own) need --module-path to resolve their `requires`; the rest are read from the class path.
JDK_MODULES=$("$JAVA_HOME/bin/java" --list-modules | sed 's/@.*//')
log "computing module dependencies with jdeps"
JDEPS_OUT=$("$JAVA_HOME/bin/jdeps" \
        --module-path "$LIBS" --class-path "$LIBS/*" \
        --ignore-missing-deps --print-module-deps --multi-release "$JAVA_FEATURE" \
        "$JAR" "$LIBS"/*.jar 2>/dev/null | tail -n 1) \
    || die "jdeps failed; run it by hand to see why"
# Keep only JDK modules (jdeps names application modules too when it cannot see through them).
COMPUTED=$(tr ',' '\n' <<<"$JDEPS_OUT" | grep -Fxf <(printf '%s\n' "$JDK_MODULES") || true)
grep -qx 'java.base' <<<"$COMPUTED" || die "unexpected jdeps output: $JDEPS_OUT"

# Modules needed at run time that jdeps cannot see (each one is explained in docs/deployment.md):
#   jdk.jfr                -XX:StartFlightRecording and the gateway's own JFR events; also bin/jfr
#   jdk.management         com.sun.management MXBeans (Helidon system meters, Micrometer JVM metrics)
#   jdk.management.jfr     FlightRecorderMXBean: JFR control and streaming over JMX (JDK Mission Control)
#   jdk.management.agent   -Dcom.sun.management.jmxremote* / jcmd ManagementAgent.start, the JMX connector for the above
#   jdk.jcmd               bin/jcmd in the image: JFR.dump / Thread.dump_to_file (virtual threads) in a container
#                          that has no JDK
#   jdk.zipfs              Helidon's metadata discovery walks jars through the zip file system in its scanning mode
#                          (the provider is found through ServiceLoader)
RUNTIME_EXTRA=(jdk.jfr jdk.management jdk.management.jfr jdk.management.agent jdk.jcmd jdk.zipfs)
EXTRA=()
if [[ -n "${JLINK_EXTRA_MODULES:-}" ]]; then
    IFS=',' read -r -a EXTRA <<<"$JLINK_EXTRA_MODULES"
fi
MODULES=$(printf '%s\n' $COMPUTED "${RUNTIME_EXTRA[@]}" "${EXTRA[@]}" | sed '/^$/d' | sort -u | paste -sd, -)
log "jdeps: $(paste -sd, <<<"$COMPUTED")"
log "modules: $MODULES"

# --- the runtime ----------------------------------------------------------------------------------------------------
JLINK_ARGS=(--add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --compress=zip-6)
if [[ "${JLINK_CDS:-true}" != false ]]; then
    # A CDS archive of the JDK's own classes, made with this exact runtime (lib/server/classes*.jsa).
    JLINK_ARGS+=(--generate-cds-archive)
fi
rm -rf "$IMAGE"
log "jlink ${JLINK_ARGS[*]}"
"$JAVA_HOME/bin/jlink" "${JLINK_ARGS[@]}" --output "$IMAGE"

# --- the application and the launcher -------------------------------------------------------------------------------
mkdir -p "$IMAGE/app/libs"
cp "$JAR" "$IMAGE/app/"
cp "$LIBS"/*.jar "$IMAGE/app/libs/"
cat >"$IMAGE/bin/ai-higress" <<'LAUNCHER'
#!/bin/sh
# AI-Higress Gateway launcher. Runs app/ai-higress-gateway.jar on this image's own Java runtime.
#
#   JAVA_OPTS   JVM options, added after the defaults below, so they win (split on spaces; no quoting).
#
# Defaults, each left out when JAVA_OPTS already decides the same thing:
#   -Xmx512m                      heap cap; left out if JAVA_OPTS sets -Xmx, -XX:MaxHeapSize, -XX:MaxRAM*, -XX:MaxRAMPercentage
#   -XX:+UseZGC                   low-pause collector; left out if JAVA_OPTS picks a collector (-XX:+Use...GC)
#   -XX:+ExitOnOutOfMemoryError   die and let the supervisor restart rather than limp on (JAVA_OPTS can say -XX:-...)
# Why these: docs/deployment.md ("JVM flags for production").
set -eu
self=$(readlink -f "$0" 2>/dev/null || printf '%s' "$0")
home=$(cd "$(dirname "$self")/.." && pwd -P)
opts=${JAVA_OPTS:-}

set -f # JAVA_OPTS is split into words, never globbed
heap_set=false
gc_set=false
for opt in $opts; do
    case $opt in
        -Xmx* | -XX:MaxHeapSize=* | -XX:MaxRAM=* | -XX:MaxRAMPercentage=* | -XX:MaxRAMFraction=*) heap_set=true ;;
        -XX:+Use*GC) gc_set=true ;;
    esac
done
defaults=""
[ "$heap_set" = true ] || defaults="$defaults -Xmx512m"
[ "$gc_set" = true ] || defaults="$defaults -XX:+UseZGC"
defaults="$defaults -XX:+ExitOnOutOfMemoryError"

# exec: the JVM replaces this shell, so it gets SIGTERM directly (graceful shutdown) and is PID 1 in a container.
# shellcheck disable=SC2086 # word splitting of the option lists is intended
exec "$home/bin/java" $defaults $opts -jar "$home/app/ai-higress-gateway.jar" "$@"
LAUNCHER
chmod 755 "$IMAGE/bin/ai-higress"

# Fail here, not in production, if the runtime cannot start the application at all.
status=0
"$IMAGE/bin/ai-higress" --help >/dev/null 2>&1 || status=$?
[[ "$status" == 2 ]] || die "the image's launcher could not run the gateway (--help exited with $status)"

SIZE=$(du -sh "$IMAGE" | cut -f1)
RUNTIME_SIZE=$(du -shc "$IMAGE/bin" "$IMAGE/conf" "$IMAGE/lib" "$IMAGE/legal" "$IMAGE/release" | tail -n 1 | cut -f1)
APP_SIZE=$(du -sh "$IMAGE/app" | cut -f1)
log "image: $IMAGE"
MODULE_COUNT=$("$IMAGE/bin/java" --list-modules | wc -l)
echo "image size: $SIZE (runtime $RUNTIME_SIZE with $MODULE_COUNT modules, app $APP_SIZE)"
