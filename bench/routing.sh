#!/usr/bin/env bash
# AI-Higress Gateway routing benchmark: failover, circuit breaking and recovery under load, in one run.
#
# Three mock upstreams behind one logical model `bench` (strategy weighted, equal weights):
#   good  no extra latency
#   slow  --extra-latency $SLOW_LATENCY (its effective weight falls with its latency)
#   bad   --failure-rate 1.0 (every request gets HTTP 500), restarted on the same port with --failure-rate 0
# A closed loop of $CONCURRENCY non-streaming requests (one LoadGen process) runs without pause through
#   warm-up    ($WARMUP_S s on model `warmup`: same mocks, other provider ids, so bench's circuits stay untouched)
#   failing    ($FAILING_S s + the time it takes to restart `bad`)
#   recovered  ($RECOVERED_S s after the new `bad` listens)
# See bench/README.md ("Routing scenario"). Everything listens on 127.0.0.1 only; everything started here is stopped
# on exit.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$ROOT"

# ------------------------------------------------------------------ parameters (env vars)
CONCURRENCY=${CONCURRENCY:-32}              # closed-loop connections
WARMUP_S=${WARMUP_S:-5}                     # JIT warm-up on model `warmup` right before phase failing (0: none)
FAILING_S=${FAILING_S:-30}                  # phase 1: `bad` answers 500 to everything
RECOVERED_S=${RECOVERED_S:-60}              # phase 2: `bad` restarted healthy
FIRST_TOKEN_DELAY=${FIRST_TOKEN_DELAY:-PT0.05S}   # mock pacing (all three mocks)
TOKEN_INTERVAL=${TOKEN_INTERVAL:-PT0.003S}
MAX_TOKENS=${MAX_TOKENS:-16}                # -> a `good` answer takes ~0.05 + 16 x 0.003 = ~0.1 s
SLOW_LATENCY=${SLOW_LATENCY:-PT0.5S}        # `slow`: --extra-latency
# routing.health of the bench config (the gateway defaults are cooldown PT5S, max-cooldown PT5M, recovery PT30S)
HEALTH_WINDOW=${HEALTH_WINDOW:-PT30S}
HEALTH_MIN_REQUESTS=${HEALTH_MIN_REQUESTS:-10}
HEALTH_CONSECUTIVE=${HEALTH_CONSECUTIVE:-5}
HEALTH_COOLDOWN=${HEALTH_COOLDOWN:-PT5S}
HEALTH_MAX_COOLDOWN=${HEALTH_MAX_COOLDOWN:-PT10S}
HEALTH_RECOVERY=${HEALTH_RECOVERY:-PT15S}
MAX_ATTEMPTS=${MAX_ATTEMPTS:-3}
ACCESS_LOG=${ACCESS_LOG:-true}              # gateway access log (one line per request, to the gateway log)
CIRCUIT_POLL=${CIRCUIT_POLL:-0.5}           # seconds between polls of higress_circuit_state for `bad` (0: off)
REQUEST_TIMEOUT=${REQUEST_TIMEOUT:-PT30S}
GATEWAY_HEAP=${GATEWAY_HEAP:-256m}
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-}
MOCK_JAVA_OPTS=${MOCK_JAVA_OPTS:--Xmx256m}
LOADGEN_JAVA_OPTS=${LOADGEN_JAVA_OPTS:--Xms128m -Xmx512m}
LOADGEN_CLIENT=${LOADGEN_CLIENT:-raw}
GATEWAY_JAR=${GATEWAY_JAR:-$ROOT/target/ai-higress-gateway.jar}
API_KEY=${API_KEY:-sk-bench-0123456789}
ADMIN_TOKEN=${ADMIN_TOKEN:-bench-admin-$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')}
STRICT=${STRICT:-0}                         # 1: exit 1 unless every request of every phase succeeded
KEEP_LOGS=${KEEP_LOGS:-0}                   # 1: keep the temp dir with config, server logs and access log

is_secs() { [[ "$1" =~ ^[0-9]+([.][0-9]+)?$ ]]; }
for v in WARMUP_S FAILING_S RECOVERED_S CIRCUIT_POLL; do
  is_secs "${!v}" || { echo "routing.sh: $v must be a number of seconds, got '${!v}'" >&2; exit 2; }
done
awk -v a="$FAILING_S" -v b="$RECOVERED_S" 'BEGIN { exit !(a >= 1 && b >= 1) }' \
  || { echo "routing.sh: FAILING_S and RECOVERED_S must be >= 1" >&2; exit 2; }
command -v curl >/dev/null || { echo "routing.sh: needs curl (plan, metrics)" >&2; exit 1; }

# ------------------------------------------------------------------ java
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  JAVA="$JAVA_HOME/bin/java"
elif [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
  JAVA="$JAVA_HOME/bin/java"
else
  JAVA=java
fi
JAVA_MAJOR=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
if [[ -z "$JAVA_MAJOR" || "$JAVA_MAJOR" -lt 21 ]]; then
  echo "routing.sh: need Java 21+ (found '${JAVA_MAJOR:-?}' at $JAVA); set JAVA_HOME" >&2
  exit 1
fi

log() { printf '[routing %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ------------------------------------------------------------------ build
if [[ ! -f "$GATEWAY_JAR" ]]; then
  log "building $GATEWAY_JAR (./mvnw -B -q -Dmaven.test.skip=true package)"
  ./mvnw -B -q -Dmaven.test.skip=true package
fi
[[ -f "$GATEWAY_JAR" ]] || { echo "routing.sh: $GATEWAY_JAR not found after the build" >&2; exit 1; }

# ------------------------------------------------------------------ work dir, cleanup
WORK=$(mktemp -d "${TMPDIR:-/tmp}/higress-routing.XXXXXX")
RESULTS_DIR="$BENCH_DIR/results"
mkdir -p "$RESULTS_DIR"
OUT="$RESULTS_DIR/routing-$(date +%Y%m%d-%H%M%S).txt"
PIDS=()        # servers, in start order; a restarted `bad` is added, the old one stays (already stopped)
LG_PID=
WARM_PID=
POLL_PID=
FAILED=1

stop_pid() {  # stop_pid PID: TERM, then KILL after 5 s
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  if [[ -n "${LG_PID:-}" ]]; then kill -TERM "$LG_PID" 2>/dev/null || true; wait "$LG_PID" 2>/dev/null || true; fi
  if [[ -n "${WARM_PID:-}" ]]; then kill -TERM "$WARM_PID" 2>/dev/null || true; wait "$WARM_PID" 2>/dev/null || true; fi
  if [[ -n "${POLL_PID:-}" ]]; then kill -TERM "$POLL_PID" 2>/dev/null || true; wait "$POLL_PID" 2>/dev/null || true; fi
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  if [[ "$FAILED" == 1 ]]; then
    for f in "$WORK"/*.log; do
      [[ -f "$f" ]] || continue
      echo "---- last lines of $(basename "$f") ----" >&2
      tail -n 20 "$f" >&2 || true
    done
  fi
  if [[ "$KEEP_LOGS" == 1 || "$FAILED" == 1 ]]; then
    echo "routing.sh: logs and config kept in $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ ports
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
TAKEN=" "
pick_port() {  # pick_port PREFERRED
  local p=$1
  for _ in $(seq 200); do
    if [[ "$TAKEN" != *" $p "* ]] && ! port_in_use "$p"; then echo "$p"; return 0; fi
    p=$(( 20000 + RANDOM % 40000 ))
  done
  echo "routing.sh: no free port found" >&2
  return 1
}
GATEWAY_PORT=${GATEWAY_PORT:-$(pick_port 18090)}; TAKEN+="$GATEWAY_PORT "
GOOD_PORT=${GOOD_PORT:-$(pick_port 18091)}; TAKEN+="$GOOD_PORT "
SLOW_PORT=${SLOW_PORT:-$(pick_port 18092)}; TAKEN+="$SLOW_PORT "
BAD_PORT=${BAD_PORT:-$(pick_port 18093)}; TAKEN+="$BAD_PORT "
for p in "$GATEWAY_PORT" "$GOOD_PORT" "$SLOW_PORT" "$BAD_PORT"; do
  if port_in_use "$p"; then echo "routing.sh: port $p is already in use" >&2; exit 1; fi
done

# ------------------------------------------------------------------ servers
wait_for() {  # wait_for WHAT PID SECONDS COMMAND...
  local what=$1 pid=$2 secs=$3; shift 3
  local deadline=$(( $(date +%s) + secs ))
  until "$@" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "routing.sh: $what exited during start-up" >&2; return 1; }
    (( $(date +%s) < deadline )) || { echo "routing.sh: $what not ready after ${secs}s" >&2; return 1; }
    sleep 0.1
  done
}

declare -A MOCK_PID=()
start_mock() {  # start_mock NAME PORT EXTRA_LATENCY FAILURE_RATE
  local name=$1 port=$2 extra=$3 rate=$4 logf="$WORK/$1.log"
  [[ -f "$logf" ]] && mv "$logf" "$WORK/$name-$(date +%H%M%S).log"
  # shellcheck disable=SC2086
  "$JAVA" $MOCK_JAVA_OPTS -jar "$GATEWAY_JAR" mock-upstream --host 127.0.0.1 --port "$port" \
    --first-token-delay "$FIRST_TOKEN_DELAY" --token-interval "$TOKEN_INTERVAL" --extra-latency "$extra" \
    --failure-rate "$rate" --models bench-model >"$logf" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  MOCK_PID[$name]=$pid
  # the exact port: a mock that failed to bind still prints "listening on http://127.0.0.1:-1/v1"
  wait_for "$name" "$pid" 60 grep -q "mock-upstream listening on http://127.0.0.1:$port/" "$logf"
  log "$name listening on http://127.0.0.1:$port/v1 (pid $pid, extra latency $extra, failure rate $rate)"
}

start_mock good "$GOOD_PORT" PT0S 0
start_mock slow "$SLOW_PORT" "$SLOW_LATENCY" 0
start_mock bad "$BAD_PORT" PT0S 1.0

CFG="$WORK/gateway-routing.yaml"
cat >"$CFG" <<EOF
server: {host: 127.0.0.1, port: $GATEWAY_PORT}
auth:
  api-keys: [{name: bench, key: "$API_KEY"}]
admin: {token: "$ADMIN_TOKEN"}
providers:
  good: {type: openai, preset: vllm, base-url: "http://127.0.0.1:$GOOD_PORT/v1", models: [bench-model]}
  slow: {type: openai, preset: vllm, base-url: "http://127.0.0.1:$SLOW_PORT/v1", models: [bench-model]}
  bad:  {type: openai, preset: vllm, base-url: "http://127.0.0.1:$BAD_PORT/v1", models: [bench-model]}
  # warm-up only: the same mocks under other provider ids, so their circuits and latency are not bad's and slow's
  warm-slow: {type: openai, preset: vllm, base-url: "http://127.0.0.1:$SLOW_PORT/v1", models: [bench-model]}
  warm-bad:  {type: openai, preset: vllm, base-url: "http://127.0.0.1:$BAD_PORT/v1", models: [bench-model]}
models:
  warmup:
    targets: [{provider: good, model: bench-model}, {provider: warm-slow, model: bench-model}, {provider: warm-bad, model: bench-model}]
  bench:
    strategy: weighted
    targets:
      - {provider: good, model: bench-model, weight: 1}
      - {provider: slow, model: bench-model, weight: 1}
      - {provider: bad, model: bench-model, weight: 1}
routing:
  health:
    window: $HEALTH_WINDOW
    min-requests: $HEALTH_MIN_REQUESTS
    error-ratio: 0.5
    consecutive-failures: $HEALTH_CONSECUTIVE
    cooldown: $HEALTH_COOLDOWN
    max-cooldown: $HEALTH_MAX_COOLDOWN
    jitter: 0.2
    recovery: $HEALTH_RECOVERY
  retry:
    budget-ratio: 0.2
    budget-min-per-second: 5
    budget-window: PT10S
limits:
  max-attempts: $MAX_ATTEMPTS
observe:
  access-log: $ACCESS_LOG
EOF

GW="http://127.0.0.1:$GATEWAY_PORT"
# shellcheck disable=SC2086
"$JAVA" "-Xmx$GATEWAY_HEAP" $GATEWAY_JAVA_OPTS -jar "$GATEWAY_JAR" --config "$CFG" >"$WORK/gateway.log" 2>&1 &
GW_PID=$!
PIDS+=("$GW_PID")
wait_for gateway "$GW_PID" 90 curl -fsS -o /dev/null --max-time 2 "$GW/health"
log "gateway ready on $GW (pid $GW_PID, -Xmx$GATEWAY_HEAP)"

chat() {  # chat MODEL -> HTTP status; body in $WORK/smoke.out
  curl -sS -o "$WORK/smoke.out" -w '%{http_code}' --max-time 30 -H "Authorization: Bearer $API_KEY" \
    -H 'Content-Type: application/json' \
    -d "{\"model\":\"$1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":2}" \
    "$GW/v1/chat/completions" || echo 000
}
code=$(chat good/bench-model)   # not `bench`: that would already feed bad's circuit
[[ "$code" == 200 ]] || { echo "routing.sh: smoke request answered HTTP $code: $(head -c 400 "$WORK/smoke.out")" >&2; exit 1; }

metrics() { curl -fsS --max-time 10 "$GW/metrics" >"$1" || : >"$1"; }
msum() {  # msum FILE METRIC LABEL... -> sum of METRIC's samples whose labels contain every LABEL (k="v")
  local file=$1 metric=$2; shift 2
  awk -v m="$metric{" -v pats="$*" 'BEGIN { n = split(pats, p, " ") }
    index($0, m) == 1 { ok = 1; for (i = 1; i <= n; i++) if (index($0, p[i]) == 0) ok = 0; if (ok) s += $NF }
    END { printf "%d", s }' "$file"
}
plan() {  # plan TITLE: the admin dry run for model bench, one line per target
  local title=$1 json
  json=$(curl -fsS --max-time 10 -H "Authorization: Bearer $ADMIN_TOKEN" "$GW/admin/api/routing/plan?model=bench") \
    || { echo "plan ($title): request failed"; return 0; }
  echo "$json" >>"$WORK/plans.json"
  echo "plan at $title (GET /admin/api/routing/plan?model=bench):"
  if command -v jq >/dev/null; then
    printf '  %-6s %-11s %8s %-9s %11s %14s %10s %9s  %s\n' provider verdict eff_wt circuit cooldown_ms \
      "window f/a" latency_ms in_flight reason
    jq -r '.targets[] | [.provider, .verdict, .effective_weight, .health.state, .health.cooldown_ms,
        "\(.health.window_failures)/\(.health.window_attempts)", .health.latency_ms, .health.in_flight,
        (.health.reason | if . == "" then "-" else . end)] | @tsv' <<<"$json" |
      while IFS=$'\t' read -r p v w s c win l f reason; do
        printf '  %-6s %-11s %8s %-9s %11s %14s %10s %9s  %s\n' "$p" "$v" "$w" "$s" "$c" "$win" "$l" "$f" "$reason"
      done
  else
    echo "  $json"
  fi
}

{
  echo "# AI-Higress routing bench $(date -u +%Y-%m-%dT%H:%M:%SZ) git=$(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "# java=$JAVA ($JAVA_MAJOR) cores=$(nproc) concurrency=$CONCURRENCY warmup=${WARMUP_S}s failing=${FAILING_S}s recovered=${RECOVERED_S}s max_tokens=$MAX_TOKENS"
  echo "# mocks: first_token_delay=$FIRST_TOKEN_DELAY token_interval=$TOKEN_INTERVAL; slow +$SLOW_LATENCY; bad failure-rate 1.0 -> restarted with 0"
  echo "# routing.health: window=$HEALTH_WINDOW min-requests=$HEALTH_MIN_REQUESTS consecutive-failures=$HEALTH_CONSECUTIVE cooldown=$HEALTH_COOLDOWN max-cooldown=$HEALTH_MAX_COOLDOWN recovery=$HEALTH_RECOVERY; max-attempts=$MAX_ATTEMPTS; gateway heap=$GATEWAY_HEAP"
} | tee "$OUT"

# ------------------------------------------------------------------ the run
CTL="$WORK/loadgen.ctl"
: >"$CTL"
LG_OUT="$WORK/lg-routing.out"
M0="$WORK/metrics-0.txt"; M1="$WORK/metrics-failing.txt"; M2="$WORK/metrics-recovered.txt"
metrics "$M0"
{ echo; plan "the start of phase failing (nothing has touched model bench yet)"; } | tee -a "$OUT"

# Warm-up (JIT; not measured): LoadGen's own --warmup sends model `warmup` (good plus the slow and bad mocks under
# other provider ids, so the failover path runs but the circuits and latencies of slow/bench-model and
# bad/bench-model stay untouched; good's latency gets seeded) on the same connections, then switches to `bench`
# without a pause: that instant is the start of phase failing. Meanwhile up to 200 requests go directly to the bad
# mock (its error path is cold otherwise: the first 500s of a cold mock took seconds on a busy machine).
if awk -v w="$WARMUP_S" 'BEGIN { exit !(w > 0) }'; then
  (
    deadline=$(( $(date +%s) + ${WARMUP_S%.*} ))
    for _ in $(seq 200); do
      (( $(date +%s) < deadline )) || break
      curl -s -o /dev/null --max-time 5 -H 'Content-Type: application/json' \
        -d '{"model":"bench-model","messages":[{"role":"user","content":"hi"}],"max_tokens":2}' \
        "http://127.0.0.1:$BAD_PORT/v1/chat/completions" || true
    done
  ) >/dev/null 2>&1 &
  WARM_PID=$!
fi

HARD_S=$(awk -v a="$FAILING_S" -v b="$RECOVERED_S" 'BEGIN { printf "%d", a + b + 90 }')   # LoadGen's upper bound
log "warm-up ${WARMUP_S}s on model warmup, then phase failing: bad answers 500 to everything (${FAILING_S}s, then bad is restarted)"
# shellcheck disable=SC2086
"$JAVA" $LOADGEN_JAVA_OPTS "$BENCH_DIR/LoadGen.java" chat --label routing --client "$LOADGEN_CLIENT" \
  --url "$GW/v1" --key "$API_KEY" --model bench --concurrency "$CONCURRENCY" --duration "${HARD_S}s" \
  --warmup "${WARMUP_S}s" --warmup-model warmup \
  --max-tokens "$MAX_TOKENS" --timeout "$REQUEST_TIMEOUT" \
  --provider-header x-higress-provider --attempts-header x-higress-attempts --failing-provider bad \
  --providers good,slow,bad --watch bad --below 5 --above 20 --control "$CTL" --phase failing >"$LG_OUT" &
LG_PID=$!
wait_for LoadGen "$LG_PID" $(( 60 + ${WARMUP_S%.*} )) grep -q '^phase failing started' "$LG_OUT"
T_FAIL=$(now)
if [[ -n "$WARM_PID" ]]; then wait "$WARM_PID" 2>/dev/null || true; WARM_PID=; fi

CIRC="$WORK/circuit.txt"
if awk -v p="$CIRCUIT_POLL" 'BEGIN { exit !(p > 0) }'; then
  (
    deadline=$(( $(date +%s) + HARD_S ))
    while (( $(date +%s) < deadline )); do
      s=$(curl -fsS --max-time 2 "$GW/metrics" 2>/dev/null |
        awk 'index($0, "higress_circuit_state{") == 1 && index($0, "target=\"bad/") { print $NF }' || true)
      echo "$(now) ${s:-?}"
      sleep "$CIRCUIT_POLL"
    done
  ) >"$CIRC" 2>/dev/null &
  POLL_PID=$!
fi

sleep "$FAILING_S"
log "restarting bad on port $BAD_PORT with --failure-rate 0"
T_RESTART=$(now)
stop_pid "${MOCK_PID[bad]}"
start_mock bad "$BAD_PORT" PT0S 0
RESTART_S=$(elapsed "$T_RESTART")
metrics "$M1"
echo "phase recovered" >>"$CTL"
T_REC=$(now)
log "phase recovered: bad healthy again (restart took ${RESTART_S}s); ${RECOVERED_S}s"
{ echo; plan "the start of phase recovered (bad restarted healthy ${RESTART_S}s after the end of the failing window)"; } | tee -a "$OUT"

sleep "$RECOVERED_S"
metrics "$M2"
echo "stop" >>"$CTL"
{ echo; plan "the end of the run"; } | tee -a "$OUT"
rc=0
wait "$LG_PID" || rc=$?
LG_PID=
(( rc == 0 )) || log "LoadGen exited with status $rc"
if [[ -n "$POLL_PID" ]]; then kill -TERM "$POLL_PID" 2>/dev/null || true; wait "$POLL_PID" 2>/dev/null || true; POLL_PID=; fi
RSS_PEAK=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$GW_PID/status" 2>/dev/null || true)
kill -0 "$GW_PID" 2>/dev/null || { echo "routing.sh: the gateway died during the run" >&2; exit 1; }

{ echo; cat "$LG_OUT"; } | tee -a "$OUT"

# ------------------------------------------------------------------ summary
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }
R_FAIL=$(grep '^RESULT .* phase=failing ' "$LG_OUT" | tail -n 1 || true)
R_REC=$(grep '^RESULT .* phase=recovered ' "$LG_OUT" | tail -n 1 || true)
ALL_OK=1
for r in "$R_FAIL" "$R_REC"; do
  if [[ -z "$r" || "$(field "$r" errors)" != 0 ]]; then ALL_OK=0; fi
done
{
  echo
  echo "==================== routing summary (latency in ms) ===================="
  printf '%-10s %6s %7s %7s %9s %7s %9s %9s %9s %8s  %s\n' phase secs reqs req/s success retried p50 p90 p99 max errors
  for r in "$R_FAIL" "$R_REC"; do
    [[ -n "$r" ]] || continue
    printf '%-10s %6s %7s %7s %8s%% %7s %9s %9s %9s %8s  %s\n' "$(field "$r" phase)" "$(field "$r" duration_s)" \
      "$(field "$r" requests)" "$(field "$r" rps)" "$(field "$r" success_pct)" "$(field "$r" retried)" \
      "$(field "$r" p50_ms)" "$(field "$r" p90_ms)" "$(field "$r" p99_ms)" "$(field "$r" max_ms)" "$(field "$r" error_kinds)"
  done
  [[ -n "$R_FAIL" && -n "$R_REC" ]] || echo "WARNING: a phase reported no RESULT (see the LoadGen output above)"
  echo
  echo "first attempts by provider (% of requests started; a retried request's first attempt counts for bad):"
  for r in "$R_FAIL" "$R_REC"; do
    [[ -n "$r" ]] || continue
    n=$(field "$r" requests)
    printf '  %-10s' "$(field "$r" phase)"
    for p in good slow bad; do
      printf ' %s=%s (%s%%)' "$p" "$(field "$r" "first_$p")" \
        "$(awk -v a="$(field "$r" "first_$p")" -v n="$n" 'BEGIN { printf "%.1f", (n > 0 ? 100 * a / n : 0) }')"
    done
    echo
  done
  echo
  echo "derived (1-s buckets from the phase start; 'within N s' = by the end of the first bucket that qualifies):"
  echo "  bad < 5% of first attempts after it started failing:  within $(field "$R_FAIL" first_below_s) s (stays below: within $(field "$R_FAIL" stays_below_s) s)"
  echo "  bad > 20% of first attempts after its recovery:        within $(field "$R_REC" first_above_s) s (stays above: within $(field "$R_REC" stays_above_s) s)"
  echo "  restart of bad (stop + JVM start) took ${RESTART_S} s; it counts to phase failing (bad refused connections meanwhile)"
  echo
  echo "gateway /metrics, model=\"bench\": cumulative at the end of each phase [this phase]:"
  printf '  %-10s %14s %16s   %s\n' phase failovers retries_denied "upstream attempts ok/failed: good, slow, bad"
  prev=$M0
  for ph in failing recovered; do
    cur=$M1; [[ "$ph" == recovered ]] && cur=$M2
    line=""
    for p in good slow bad; do
      okc=$(msum "$cur" higress_upstream_attempts_total 'model="bench"' "provider=\"$p\"" 'outcome="success"')
      all=$(msum "$cur" higress_upstream_attempts_total 'model="bench"' "provider=\"$p\"")
      okp=$(msum "$prev" higress_upstream_attempts_total 'model="bench"' "provider=\"$p\"" 'outcome="success"')
      allp=$(msum "$prev" higress_upstream_attempts_total 'model="bench"' "provider=\"$p\"")
      line+=$(printf '%s %d/%d [%d/%d]  ' "$p" "$okc" $((all - okc)) $((okc - okp)) $(((all - okc) - (allp - okp))))
    done
    fo=$(msum "$cur" higress_failovers_total 'model="bench"'); fop=$(msum "$prev" higress_failovers_total 'model="bench"')
    rd=$(msum "$cur" higress_retries_denied_total 'model="bench"'); rdp=$(msum "$prev" higress_retries_denied_total 'model="bench"')
    printf '  %-10s %14s %16s   %s\n' "$ph" "$fo [$((fo - fop))]" "$rd [$((rd - rdp))]" "$line"
    prev=$cur
  done
  bad_att=$(( $(msum "$M1" higress_upstream_attempts_total 'model="bench"' 'provider="bad"') - $(msum "$M0" higress_upstream_attempts_total 'model="bench"' 'provider="bad"') ))
  echo "  check (phase failing): attempts on bad per the gateway = $bad_att, first attempts on bad per LoadGen = $(field "$R_FAIL" first_bad)"
  echo "    (equal up to the requests in flight at the phase edges when only first attempts reach bad)"
  if [[ -s "$CIRC" ]]; then
    echo
    echo "circuit of bad/bench-model (higress_circuit_state polled every ${CIRCUIT_POLL}s; 0 closed, 1 half-open, 2 open):"
    awk -v tf="$T_FAIL" -v tr="$T_REC" '
      function name(s) { return s == "?" ? "unknown" : s + 0 == 0 ? "closed" : s + 0 == 1 ? "half-open" : s + 0 == 2 ? "open" : "?(" s ")" }
      { if ($2 != last) {
          if ($1 < tr) printf "  failing   +%6.1f s  %s\n", $1 - tf, name($2)
          else printf "  recovered +%6.1f s  %s\n", $1 - tr, name($2)
          last = $2 } }' "$CIRC"
  fi
  [[ -n "$RSS_PEAK" ]] && awk -v k="$RSS_PEAK" -v h="$GATEWAY_HEAP" 'BEGIN { printf "\ngateway peak RSS (VmHWM) %.1f MiB; heap -Xmx%s\n", k / 1024, h }'
  if [[ "$ALL_OK" == 1 ]]; then
    echo "every request succeeded in both phases: yes (each failure of bad was saved by failover)"
  else
    echo "every request succeeded in both phases: NO (see errors above)"
  fi
} | tee -a "$OUT"
log "results written to $OUT"

FAILED=0
if [[ "$STRICT" == 1 && "$ALL_OK" != 1 ]]; then exit 1; fi
exit 0
