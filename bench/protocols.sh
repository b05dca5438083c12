#!/usr/bin/env bash
# AI-Higress Gateway benchmark of protocol translation: every ingress (chat completions, Anthropic messages, OpenAI
# responses) to every upstream protocol (OpenAI, Anthropic, Gemini), JSON and streamed, against the same load sent to
# the mock upstream directly in the upstream's own protocol. See bench/README.md ("Protocol scenario"). Everything
# listens on 127.0.0.1 only; everything started here is stopped on exit.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$ROOT"

# ------------------------------------------------------------------ parameters (env vars)
CONCURRENCY=${CONCURRENCY:-32}              # closed-loop connections per scenario
WARMUP=${WARMUP:-PT3S}                      # per scenario, not measured
DURATION=${DURATION:-PT10S}                 # per scenario, measured
PREWARM=${PREWARM:-PT3S}                    # per scenario, once before anything is measured (0 skips it)
TOKEN_INTERVAL=${TOKEN_INTERVAL:-PT0.01S}   # mock pacing
FIRST_TOKEN_DELAY=${FIRST_TOKEN_DELAY:-PT0S}
MAX_TOKENS=${MAX_TOKENS:-20}                # max_tokens / max_output_tokens / maxOutputTokens sent
REQUEST_TIMEOUT=${REQUEST_TIMEOUT:-PT60S}
GATEWAY_HEAP=${GATEWAY_HEAP:-256m}
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-}
MOCK_JAVA_OPTS=${MOCK_JAVA_OPTS:--Xmx512m}
LOADGEN_JAVA_OPTS=${LOADGEN_JAVA_OPTS:--Xms128m -Xmx512m}
GATEWAY_JAR=${GATEWAY_JAR:-$ROOT/target/ai-higress-gateway.jar}
API_KEY=${API_KEY:-sk-bench-0123456789}
UPSTREAM_KEY=${UPSTREAM_KEY:-sk-mock-upstream-0123456789}
INGRESSES=${INGRESSES:-chat messages responses}
UPSTREAMS=${UPSTREAMS:-openai anthropic gemini}
MODES=${MODES:-json stream}
STRICT=${STRICT:-0}                         # 1: exit 1 when any scenario reports errors
KEEP_LOGS=${KEEP_LOGS:-0}                   # 1: keep the temp dir with config and server logs

# ------------------------------------------------------------------ java
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  JAVA="$JAVA_HOME/bin/java"
elif [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
  JAVA="$JAVA_HOME/bin/java"
else
  JAVA=java
fi
JAVAC="$(dirname "$JAVA")/javac"
JAVA_MAJOR=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
if [[ -z "$JAVA_MAJOR" || "$JAVA_MAJOR" -lt 21 ]]; then
  echo "protocols.sh: need Java 21+ (found '${JAVA_MAJOR:-?}' at $JAVA); set JAVA_HOME" >&2
  exit 1
fi

log() { printf '[protocols %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "n/a"; }

# ------------------------------------------------------------------ build
if [[ ! -f "$GATEWAY_JAR" ]]; then
  log "building $GATEWAY_JAR (./mvnw -B -q -DskipTests package)"
  ./mvnw -B -q -DskipTests package
fi
[[ -f "$GATEWAY_JAR" ]] || { echo "protocols.sh: $GATEWAY_JAR not found after the build" >&2; exit 1; }

# ------------------------------------------------------------------ work dir, cleanup
WORK=$(mktemp -d "${TMPDIR:-/tmp}/higress-protocols.XXXXXX")
RESULTS_DIR="$BENCH_DIR/results"
mkdir -p "$RESULTS_DIR"
OUT="$RESULTS_DIR/protocols-$(date +%Y%m%d-%H%M%S).txt"
PIDS=()
LG_PID=
FAILED=1

cleanup() {
  local rc=$?
  if [[ -n "${LG_PID:-}" ]]; then kill -TERM "$LG_PID" 2>/dev/null || true; wait "$LG_PID" 2>/dev/null || true; fi
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ "$FAILED" == 1 ]]; then
    for f in "$WORK"/*.log; do
      [[ -f "$f" ]] || continue
      echo "---- last lines of $(basename "$f") ----" >&2
      tail -n 30 "$f" >&2 || true
    done
  fi
  if [[ "$KEEP_LOGS" == 1 || "$FAILED" == 1 ]]; then
    echo "protocols.sh: logs and config kept in $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# LoadGen compiled once: 24 runs through the source launcher would each spend a second or two of CPU compiling it.
"$JAVAC" -d "$WORK/loadgen" "$BENCH_DIR/LoadGen.java"

# ------------------------------------------------------------------ ports
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() {  # pick_port PREFERRED AVOID
  local p=$1
  for _ in $(seq 200); do
    if [[ "$p" != "${2:-}" ]] && ! port_in_use "$p"; then echo "$p"; return 0; fi
    p=$(( 20000 + RANDOM % 40000 ))
  done
  echo "protocols.sh: no free port found" >&2
  return 1
}
GATEWAY_PORT=${GATEWAY_PORT:-$(pick_port 18090)}
MOCK_PORT=${MOCK_PORT:-$(pick_port 18091 "$GATEWAY_PORT")}

# ------------------------------------------------------------------ start servers
wait_for() {  # wait_for WHAT PID SECONDS COMMAND...
  local what=$1 pid=$2 secs=$3; shift 3
  local deadline=$(( $(date +%s) + secs ))
  until "$@" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "protocols.sh: $what exited during start-up" >&2; return 1; }
    (( $(date +%s) < deadline )) || { echo "protocols.sh: $what not ready after ${secs}s" >&2; return 1; }
    sleep 0.2
  done
}

# shellcheck disable=SC2086
"$JAVA" $MOCK_JAVA_OPTS -jar "$GATEWAY_JAR" mock-upstream --host 127.0.0.1 --port "$MOCK_PORT" \
  --first-token-delay "$FIRST_TOKEN_DELAY" --token-interval "$TOKEN_INTERVAL" --extra-latency PT0S --failure-rate 0 \
  --models bench-model --api-key "$UPSTREAM_KEY" >"$WORK/mock.log" 2>&1 &
MOCK_PID=$!
PIDS+=("$MOCK_PID")
wait_for mock "$MOCK_PID" 60 grep -q "mock-upstream listening on" "$WORK/mock.log"
log "mock listening on 127.0.0.1:$MOCK_PORT (pid $MOCK_PID): OpenAI and Anthropic under /v1, Gemini under /v1beta"

CFG="$WORK/gateway-protocols.yaml"
cat >"$CFG" <<EOF
server: {host: 127.0.0.1, port: $GATEWAY_PORT}
auth:
  api-keys: [{name: bench, key: "$API_KEY"}]
providers:
  up-openai:    {type: openai, base-url: "http://127.0.0.1:$MOCK_PORT/v1", api-key: "$UPSTREAM_KEY", models: [bench-model]}
  up-anthropic: {type: anthropic, base-url: "http://127.0.0.1:$MOCK_PORT/v1", api-key: "$UPSTREAM_KEY", models: [bench-model]}
  up-gemini:    {type: gemini, base-url: "http://127.0.0.1:$MOCK_PORT/v1beta", api-key: "$UPSTREAM_KEY", models: [bench-model]}
models:
  to-openai:    {targets: [{provider: up-openai, model: bench-model}]}
  to-anthropic: {targets: [{provider: up-anthropic, model: bench-model}]}
  to-gemini:    {targets: [{provider: up-gemini, model: bench-model}]}
EOF

health() { curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$GATEWAY_PORT/health"; }
# The gateway runs in the work dir, so its embedded database and generated secret go there and leave with it.
# shellcheck disable=SC2086
(cd "$WORK" && exec "$JAVA" "-Xmx$GATEWAY_HEAP" $GATEWAY_JAVA_OPTS -jar "$GATEWAY_JAR" --config "$CFG") >"$WORK/gateway.log" 2>&1 &
GW_PID=$!
PIDS+=("$GW_PID")
wait_for gateway "$GW_PID" 90 health
log "gateway ready on 127.0.0.1:$GATEWAY_PORT (pid $GW_PID, -Xmx$GATEWAY_HEAP)"

# ------------------------------------------------------------------ scenario helpers
DIRECT_V1="http://127.0.0.1:$MOCK_PORT/v1"
DIRECT_GEMINI="http://127.0.0.1:$MOCK_PORT/v1beta"
GW_URL="http://127.0.0.1:$GATEWAY_PORT/v1"
upstream_protocol() { case "$1" in openai) echo chat ;; anthropic) echo messages ;; gemini) echo gemini ;; esac; }
direct_url() { [[ "$1" == gemini ]] && echo "$DIRECT_GEMINI" || echo "$DIRECT_V1"; }
lg_mode() { [[ "$1" == stream ]] && echo stream || echo chat; }
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
TICKS=$(getconf CLK_TCK 2>/dev/null || echo 100)

# smoke: one request each way, so a broken setup fails fast with a readable message
smoke() {  # smoke PROTOCOL URL MODEL KEY
  local out="$WORK/smoke.out" rc=0
  "$JAVA" -cp "$WORK/loadgen" LoadGen chat --protocol "$1" --url "$2" --model "$3" --key "$4" --concurrency 1 \
    --warmup PT0S --duration PT1S --max-tokens "$MAX_TOKENS" --label smoke >"$out" 2>&1 || rc=$?
  if (( rc != 0 )) || ! grep -q '^RESULT .* errors=0 ' "$out" || grep -q '^RESULT .* ok=0 ' "$out"; then
    echo "protocols.sh: smoke request ($1 to $2, model $3) failed:" >&2
    cat "$out" >&2
    return 1
  fi
}
for up in $UPSTREAMS; do
  smoke "$(upstream_protocol "$up")" "$(direct_url "$up")" bench-model "$UPSTREAM_KEY"
  for ing in $INGRESSES; do smoke "$ing" "$GW_URL" "to-$up" "$API_KEY"; done
done
log "smoke requests passed"

{
  echo "# AI-Higress protocol bench $(date -u +%Y-%m-%dT%H:%M:%SZ) git=$(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "# java=$JAVA ($JAVA_MAJOR) cores=$(nproc) concurrency=$CONCURRENCY warmup=$WARMUP duration=$DURATION"
  echo "# token_interval=$TOKEN_INTERVAL first_token_delay=$FIRST_TOKEN_DELAY max_tokens=$MAX_TOKENS prewarm=$PREWARM gateway_heap=$GATEWAY_HEAP"
  echo "# load average (1/5/15 min) at start: $(loadavg)"
} | tee "$OUT"

declare -A RES=() LOAD=() CPU=()
ANY_ERRORS=0
run() {  # run KEY SERVER_PID LOADGEN_ARGS...
  local key=$1 pid=$2; shift 2
  local out="$WORK/lg-$key.out" rc=0
  LOAD[$key]=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo n/a)
  log "scenario $key (load $(loadavg))"
  local before; before=$(cpu_ticks "$pid")
  # shellcheck disable=SC2086
  "$JAVA" $LOADGEN_JAVA_OPTS -cp "$WORK/loadgen" LoadGen "$@" --label "$key" --concurrency "$CONCURRENCY" \
    --warmup "$WARMUP" --duration "$DURATION" --max-tokens "$MAX_TOKENS" --timeout "$REQUEST_TIMEOUT" \
    </dev/null >"$out" &
  LG_PID=$!   # waited for in the background so that a signal reaches the EXIT trap at once
  wait "$LG_PID" || rc=$?
  LG_PID=
  local after; after=$(cpu_ticks "$pid")
  if (( rc != 0 )); then log "LoadGen exited with status $rc for $key"; fi
  { echo; cat "$out"; } >>"$OUT"
  RES[$key]=$(grep '^RESULT ' "$out" | tail -n 1 || true)
  # server CPU per request over warm-up and window together (requests in flight at either end are not counted)
  local requests
  requests=$(sed -n 's/^requests: *\([0-9]*\) ok .*warm-up: \([0-9]*\) requests.*/\1 \2/p' "$out" | awk '{ print $1 + $2 }')
  CPU[$key]=$(awk -v t=$((after - before)) -v hz="$TICKS" -v n="${requests:-0}" \
    'BEGIN { if (n > 0) printf "%.2f", t * 1000 / hz / n; else print "n/a" }')
  local e; e=$(field "${RES[$key]}" errors)
  if [[ -z "${RES[$key]}" || "${e:-1}" != 0 ]]; then ANY_ERRORS=1; fi
}

# One line per scenario: KEY SERVER_PID LOADGEN_MODE PROTOCOL URL MODEL KEY. Each upstream's direct baseline comes
# right before the gateway scenarios it is compared with, so that a change in the machine's load (other processes on
# a shared box) skews a comparison as little as possible.
scenarios() {
  for up in $UPSTREAMS; do
    for mode in $MODES; do
      echo "direct-$up-$mode $MOCK_PID $(lg_mode "$mode") $(upstream_protocol "$up") $(direct_url "$up") bench-model $UPSTREAM_KEY"
      for ing in $INGRESSES; do
        echo "$ing-$up-$mode $GW_PID $(lg_mode "$mode") $ing $GW_URL to-$up $API_KEY"
      done
    done
  done
}

# Pre-warm: every path of both servers under the full load once, so that no measured scenario pays for the JIT
# compiling code that earlier scenarios did not run often enough (a first run measured with 8 connections for 2 s per
# path still showed the first scenarios at twice the CPU per request of the later ones).
if [[ "$PREWARM" != 0 && "$PREWARM" != PT0S ]]; then
  log "pre-warming every scenario for $PREWARM"
  while read -r key pid mode protocol url model secret; do
    # shellcheck disable=SC2086
    "$JAVA" $LOADGEN_JAVA_OPTS -cp "$WORK/loadgen" LoadGen "$mode" --protocol "$protocol" --url "$url" \
      --model "$model" --key "$secret" --label "prewarm-$key" --concurrency "$CONCURRENCY" --warmup PT0S --duration "$PREWARM" \
      --max-tokens "$MAX_TOKENS" </dev/null >"$WORK/prewarm-$key.out" 2>&1 || log "pre-warm $key failed"
  done < <(scenarios)
fi

while read -r key pid mode protocol url model secret; do
  run "$key" "$pid" "$mode" --protocol "$protocol" --url "$url" --model "$model" --key "$secret"
done < <(scenarios)
kill -0 "$GW_PID" 2>/dev/null || { echo "protocols.sh: the gateway died during the run" >&2; exit 1; }

# ------------------------------------------------------------------ summary
diff_ms() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a == "NaN" || b == "NaN") print "n/a"; else printf "%+.2f", a - b }'; }
num() { awk -v a="$1" 'BEGIN { if (a == "" || a == "NaN") print "n/a"; else printf "%.2f", a }'; }
{
  echo
  echo "==================== protocols (ms; added = through the gateway - direct to the mock in the upstream's protocol) ===================="
  printf '%-9s %-9s %-6s %8s %9s %9s %9s %9s %9s %9s %7s %6s %6s\n' ingress upstream mode req/s p50 p99 "+p50" "+p99" \
    ttft50 "+ttft50" "cpu/req" load1 errors
  for up in $UPSTREAMS; do
    for mode in $MODES; do
      d=${RES[direct-$up-$mode]:-}
      for ing in direct $INGRESSES; do
        key="$ing-$up-$mode"; [[ "$ing" == direct ]] && key="direct-$up-$mode"
        r=${RES[$key]:-}
        if [[ -z "$r" ]]; then printf '%-9s %-9s %-6s no RESULT\n' "$ing" "$up" "$mode"; continue; fi
        if [[ "$ing" == direct ]]; then plus50=""; plus99=""; plusttft=""; else
          plus50=$(diff_ms "$(field "$r" p50_ms)" "$(field "$d" p50_ms)")
          plus99=$(diff_ms "$(field "$r" p99_ms)" "$(field "$d" p99_ms)")
          plusttft=$([[ "$mode" == stream ]] && diff_ms "$(field "$r" ttft_p50_ms)" "$(field "$d" ttft_p50_ms)" || echo "")
        fi
        ttft=$([[ "$mode" == stream ]] && num "$(field "$r" ttft_p50_ms)" || echo "")
        printf '%-9s %-9s %-6s %8s %9s %9s %9s %9s %9s %9s %7s %6s %6s\n' "$ing" "$up" "$mode" "$(field "$r" rps)" \
          "$(num "$(field "$r" p50_ms)")" "$(num "$(field "$r" p99_ms)")" "$plus50" "$plus99" "$ttft" "$plusttft" \
          "${CPU[$key]}" "${LOAD[$key]}" "$(field "$r" errors)"
      done
    done
  done
  echo "cpu/req: CPU milliseconds of the server process per request (direct rows: the mock; other rows: the gateway alone)"
  echo "load average (1/5/15 min) at the end: $(loadavg); $(nproc) cores"
  if [[ "$ANY_ERRORS" == 1 ]]; then echo "WARNING: some scenarios reported errors (see above)"; fi
} | tee -a "$OUT"
log "results written to $OUT"

FAILED=0
if [[ "$STRICT" == 1 && "$ANY_ERRORS" == 1 ]]; then exit 1; fi
exit 0
