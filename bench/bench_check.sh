#!/usr/bin/env bash
# Benchmarks `aipol check` on generated policies (bench/gen_policy.py).
#
# Builds nothing: it expects build/release/aipol (or $AIPOL). Generates the
# policies into bench/out/ (gitignored), checks that each one is valid, then
# times `aipol check` on 1000, 5000 and 20000 rules, with the cost of
# reading the files (`cat > /dev/null`) and of starting aipol as floors.
#
# Uses hyperfine when it is installed, else a bash loop timed with
# `date +%s.%N`; either way the figure reported is the median of $RUNS runs
# (default 5) after one warm-up run, with the median CPU time (user +
# system) next to it.
#
# Environment: AIPOL (binary), RUNS (default 5), SIZES (default
# "1000 5000 20000"), SEED (default 20260802).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
aipol=${AIPOL:-$root/build/release/aipol}
runs=${RUNS:-5}
sizes=${SIZES:-"1000 5000 20000"}
seed=${SEED:-20260802}
out=$here/out

if [[ ! -x $aipol ]]; then
  echo "bench_check.sh: $aipol not found; build it first:" >&2
  echo "  flock /tmp/aipol-build.lock ninja -C build/release" >&2
  exit 1
fi
mkdir -p "$out"

have_hyperfine=0
command -v hyperfine >/dev/null 2>&1 && have_hyperfine=1

# median_seconds CMD... : runs CMD once to warm up, then $runs times; prints
# "median min max cpu" in seconds, where cpu is the median of user + system
# CPU time (less sensitive than wall time to a busy machine). CMD must succeed.
median_seconds() {
  if ((have_hyperfine)); then
    local json
    json=$(mktemp)
    hyperfine --style none --warmup 1 --runs "$runs" --export-json "$json" -- "$(printf '%q ' "$@")" >/dev/null
    python3 - "$json" <<'EOF_PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"][0]
cpu = [u + s for u, s in zip(r["user"], r["system"])] if "user" in r else [r["median"]]
t = r["times"]
print("%.4f %.4f %.4f %.4f" % (statistics.median(t), min(t), max(t), statistics.median(cpu)))
EOF_PY
    rm -f "$json"
    return
  fi
  "$@" >/dev/null 2>&1
  local times=() cpus=() t0 t1 i cpu_file
  cpu_file=$(mktemp)
  for ((i = 0; i < runs; i++)); do
    t0=$(date +%s.%N)
    { TIMEFORMAT='%3U %3S'; time "$@" >/dev/null 2>&1; } 2>>"$cpu_file"
    t1=$(date +%s.%N)
    times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')")
  done
  mapfile -t cpus < <(awk '{ printf "%.4f\n", $1 + $2 }' "$cpu_file")
  rm -f "$cpu_file"
  local wall cpu
  wall=$(printf '%s\n' "${times[@]}" | sort -g | awk '
    { t[NR] = $1 }
    END { n = NR; m = (n % 2) ? t[(n + 1) / 2] : (t[n / 2] + t[n / 2 + 1]) / 2;
          printf "%.4f %.4f %.4f", m, t[1], t[n] }')
  cpu=$(printf '%s\n' "${cpus[@]}" | sort -g | awk '
    { t[NR] = $1 }
    END { n = NR; m = (n % 2) ? t[(n + 1) / 2] : (t[n / 2] + t[n / 2 + 1]) / 2; printf "%.4f", m }')
  echo "$wall $cpu"
}

timer=$([[ $have_hyperfine == 1 ]] && echo "hyperfine" || echo "bash loop with date +%s.%N")
echo "# aipol check benchmark"
echo "date:    $(date -u)"
echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)," \
     "$(free -h | awk '/^Mem:/ { print $2 }') RAM"
echo "binary:  $aipol ($("$aipol" version 2>&1 | head -1))"
echo "timer:   $timer, median of $runs runs after 1 warm-up"
echo

# Floors: starting the process, and checking a one-declaration module.
mkdir -p "$out/tiny/tiny"
printf 'module tiny.one\n\nreport def one: int = 1\n' >"$out/tiny/tiny/one.pol"
read -r v_med _ _ _ < <(median_seconds "$aipol" version)
read -r t_med _ _ _ < <(median_seconds "$aipol" check -q "$out/tiny")
printf '%-34s %8s s\n' "aipol version (process start)" "$v_med"
printf '%-34s %8s s\n' "aipol check, 1-declaration policy" "$t_med"
echo

printf '| %6s | %7s | %7s | %9s | %7s | %12s | %12s | %12s | %12s | %10s |\n' \
  rules modules decls bytes lines "check median" "check min" "check max" "check CPU" "cat floor"
printf '| %6s | %7s | %7s | %9s | %7s | %12s | %12s | %12s | %12s | %10s |\n' \
  "-----:" "------:" "------:" "--------:" "------:" "-----------:" "-----------:" "-----------:" "-----------:" "---------:"
# Each size with the default layout (one rule module per 1000 rules), then
# 5000 rules in a single rule module.
for spec in $sizes 5000:1; do
  n=${spec%%:*}
  modules_flag=()
  dir=$out/n$n
  if [[ $spec == *:* ]]; then
    modules_flag=(--modules "${spec##*:}")
    dir=$out/n${n}_m${spec##*:}
  fi
  python3 "$here/gen_policy.py" --rules "$n" "${modules_flag[@]}" --seed "$seed" --out "$dir" >"$out/gen_$(basename "$dir").log"
  # The policy must be valid and warning-free.
  summary=$("$aipol" check --no-color "$dir" 2>&1 | tail -1)
  if [[ $summary != *": 0 errors, 0 warnings" ]]; then
    echo "bench_check.sh: the generated $n-rule policy is not clean: $summary" >&2
    "$aipol" check --no-color "$dir" 2>&1 | head -20 >&2
    exit 1
  fi
  decls=$(sed -n 's/.* modules*, \([0-9]*\) declarations.*/\1/p' <<<"$summary")
  nmod=$(sed -n 's/^\([0-9]*\) modules*,.*/\1/p' <<<"$summary")
  files=("$dir"/genpol/*.pol)
  bytes=$(cat "${files[@]}" | wc -c)
  lines=$(cat "${files[@]}" | wc -l)
  read -r c_med c_min c_max c_cpu < <(median_seconds "$aipol" check -q "$dir")
  read -r f_med _ _ _ < <(median_seconds sh -c 'cat "$@" >/dev/null' cat "${files[@]}")
  printf '| %6s | %7s | %7s | %9s | %7s | %12s | %12s | %12s | %12s | %10s |\n' \
    "$n" "$nmod" "$decls" "$bytes" "$lines" "$c_med s" "$c_min s" "$c_max s" "$c_cpu s" "$f_med s"
done
echo
echo "check CPU: median user + system CPU time of the same runs"
echo "modules: all modules of the policy (genpol.base, genpol.facts and the rule modules)"
echo "generated policies: $out/n<rules>[_m<modules>]/genpol/*.pol (seed $seed)"
