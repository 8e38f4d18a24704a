#!/usr/bin/env bash
# Benchmarks `aipol batch` on generated fleets (bench/gen_fleet.py) against
# the parse floor (bench/parse_floor.cpp: simdjson On-Demand over the same
# file, every value touched, nothing else).
#
# Builds nothing: it expects build/release/aipol and build/release/parse_floor
# (flock /tmp/aipol-build.lock ninja -C build/release). For each size it
# generates the fleet into bench/out/batch/ (gitignored), streaming to disk,
# then runs, round-robin so that drift in the machine's speed hits every
# configuration alike:
#   - the floor:          parse_floor FLEET
#   - for each engine (interp, jit) and -j (1, 2):
#       aipol batch --as-of 2026-11-28 --engine E -j N --stats --quiet FLEET -o /dev/null
#   - the JIT again, -j 1 and 2, with a cache of its own where `aipol check
#     --jit` stored the thorough tier (the set-up docs/cli.md advises for a
#     CI gate)
# each under /usr/bin/time -v (peak RSS: "Maximum resident set size"), with
# the wall time taken around the process with `date +%s.%N`. The reports go
# to /dev/null: formatting them is measured (write_s), writing them to disk
# is not. The JIT's object cache is bench/out/batch/xdg-cache
# (XDG_CACHE_HOME), emptied when the script starts (so that what a size
# measures does not depend on what ran before) and filled by warm-up runs
# (one over the whole fleet, which from 1 GiB stores the JIT's optimised
# tier), so measured JIT runs load the policy's objects from the cache: the
# first tier below 1 GiB of fleet, the optimised tier from there; one extra
# JIT run with an empty cache gives the cold compile time inside
# `aipol batch`.
#
# Before the runs, the interpreter's and the JIT's reports on the first
# 10,000 records are compared byte for byte.
#
# Fleets larger than LARGE_KEEP records (default 200000) are deleted after
# their runs (10^6 records are about 2 GB); a size is skipped when the disk
# lacks room for its fleet plus 2 GB.
#
# Environment:
#   SIZES      "records:runs ..." (default "100000:5 1000000:1")
#   ENGINES    default "interp jit";  JOBS  default "1 2"
#   SEED       default 20260802;      AS_OF default 2026-11-28
#   MAX_LOAD   if set, wait (at most WAIT_MAX seconds, default 600) before
#              each round until the 1-minute load average is below it
#   AIPOL, PARSE_FLOOR  the binaries (default build/release/...)
#
# Prints markdown tables; the raw runs are in bench/out/batch/runs.tsv.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
aipol=${AIPOL:-$root/build/release/aipol}
floor=${PARSE_FLOOR:-$root/build/release/parse_floor}
sizes=${SIZES:-"100000:5 1000000:1"}
engines=${ENGINES:-"interp jit"}
jobs=${JOBS:-"1 2"}
seed=${SEED:-20260802}
as_of=${AS_OF:-2026-11-28}
large_keep=${LARGE_KEEP:-200000}
max_load=${MAX_LOAD:-}
wait_max=${WAIT_MAX:-600}
out=$here/out/batch

for binary in "$aipol" "$floor"; do
  if [[ ! -x $binary ]]; then
    echo "bench_batch.sh: $binary not found; build it first:" >&2
    echo "  flock /tmp/aipol-build.lock ninja -C build/release" >&2
    exit 1
  fi
done
if [[ ! -x /usr/bin/time ]]; then
  echo "bench_batch.sh: /usr/bin/time not found (apt-get install time)" >&2
  exit 1
fi
mkdir -p "$out"
export XDG_CACHE_HOME=$out/xdg-cache
rm -rf "$XDG_CACHE_HOME"
runs_file=$out/runs.tsv
: >"$runs_file"

load1() { cut -d' ' -f1 /proc/loadavg; }

wait_for_quiet() {
  [[ -z $max_load ]] && return 0
  local waited=0
  while awk -v l="$(load1)" -v m="$max_load" 'BEGIN { exit !(l >= m) }'; do
    if ((waited >= wait_max)); then
      echo "bench_batch.sh: load $(load1) still >= $max_load after ${wait_max}s; measuring anyway" >&2
      return 0
    fi
    sleep 10
    waited=$((waited + 10))
  done
}

# run SIZE RUN CONFIG CMD... : runs CMD under /usr/bin/time -v; appends
# "size run config wall_s rss_kb user_s sys_s load1 stats_json" to runs.tsv.
run() {
  local size=$1 rep=$2 config=$3
  shift 3
  local time_file err_file t0 t1 status=0
  time_file=$(mktemp)
  err_file=$(mktemp)
  local load
  load=$(load1)
  t0=$(date +%s.%N)
  /usr/bin/time -v -o "$time_file" "$@" >/dev/null 2>"$err_file" || status=$?
  t1=$(date +%s.%N)
  # aipol batch exits 2 when some records had input errors: expected here.
  if ((status != 0 && status != 2)); then
    echo "bench_batch.sh: \`$*\` failed ($status):" >&2
    cat "$err_file" >&2
    exit 1
  fi
  local rss user sys stats
  rss=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$time_file")
  user=$(sed -n 's/^[[:space:]]*User time (seconds): //p' "$time_file")
  sys=$(sed -n 's/^[[:space:]]*System time (seconds): //p' "$time_file")
  stats=$(grep '^{' "$err_file" | tail -1)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$rep" "$config" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')" "$rss" "$user" "$sys" "$load" "$stats" \
    >>"$runs_file"
  rm -f "$time_file" "$err_file"
}

echo "# aipol batch benchmark"
echo
echo "date:    $(date -u)"
echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)," \
  "$(free -h | awk '/^Mem:/ { print $2 }') RAM, $(uname -sr)"
echo "binary:  $aipol ($("$aipol" version 2>&1 | head -1)); git $(git -C "$root" rev-parse --short HEAD 2>/dev/null)$(
  [[ -n $(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null) ]] && echo " (with uncommitted changes)")"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) at the start"
echo

for spec in $sizes; do
  n=${spec%%:*}
  reps=${spec##*:}
  [[ $spec == *:* ]] || reps=5
  fleet=$out/fleet_$n.jsonl
  need=$((n * 2100 + (2 << 30)))
  avail=$(df --output=avail -B1 "$out" | tail -1)
  if [[ ! -f $fleet ]] && ((avail < need)); then
    echo "bench_batch.sh: skipping $n records: $(numfmt --to=iec "$avail") free, need $(numfmt --to=iec "$need")" >&2
    continue
  fi
  if [[ ! -f $fleet ]]; then
    echo "generating $n records ..." >&2
    python3 "$here/gen_fleet.py" --records "$n" --seed "$seed" -o "$fleet.tmp" 2>"$out/gen_$n.log"
    mv "$fleet.tmp" "$fleet"
  fi
  cat "$out/gen_$n.log" 2>/dev/null | sed 's/^/  /' >&2 || true

  # The engines must agree (on a prefix, to keep it cheap), and the warm-up
  # run fills the JIT cache.
  head -n 10000 "$fleet" >"$out/prefix.jsonl"
  "$aipol" batch --as-of "$as_of" --engine interp -j 1 --quiet "$out/prefix.jsonl" -o "$out/prefix.interp" || true
  "$aipol" batch --as-of "$as_of" --engine jit -j 1 --quiet "$out/prefix.jsonl" -o "$out/prefix.jit" || true
  if ! cmp -s "$out/prefix.interp" "$out/prefix.jit"; then
    echo "bench_batch.sh: the engines' reports differ on the first 10,000 records of $fleet" >&2
    exit 1
  fi
  rm -f "$out/prefix.jsonl" "$out/prefix.interp" "$out/prefix.jit"
  # A JIT run over the whole fleet: from 1 GiB of input (10^6 records, not
  # 10^5) it compiles the JIT's optimised tier in the background and stores
  # it in the cache, so that measured JIT runs load it (the table shows
  # which tier each used). It exits 2 when some records are invalid.
  "$aipol" batch --as-of "$as_of" --engine jit -j 2 --quiet "$fleet" -o /dev/null || true
  "$floor" "$fleet" 2>/dev/null  # warm the page cache
  # The set-up docs/cli.md advises for a CI gate: `aipol check --jit` once,
  # which stores the JIT's thorough tier (in a cache of its own here).
  if [[ " $engines " == *" jit "* ]]; then
    rm -rf "$out/xdg-thorough"
    XDG_CACHE_HOME=$out/xdg-thorough "$aipol" check --quiet --jit aiact >/dev/null
    # (and a small run stores the checked policy in that cache too)
    head -n 100 "$fleet" | XDG_CACHE_HOME=$out/xdg-thorough "$aipol" batch --as-of "$as_of" --engine jit --quiet - \
      -o /dev/null || true
  fi

  for ((rep = 1; rep <= reps; rep++)); do
    wait_for_quiet
    echo "size $n, round $rep/$reps (load $(load1)) ..." >&2
    run "$n" "$rep" floor "$floor" "$fleet"
    for engine in $engines; do
      for j in $jobs; do
        run "$n" "$rep" "$engine-j$j" "$aipol" batch --as-of "$as_of" --engine "$engine" -j "$j" --stats --quiet \
          "$fleet" -o /dev/null
        if [[ $engine == jit ]]; then
          XDG_CACHE_HOME=$out/xdg-thorough run "$n" "$rep" "jit-j$j-thorough" "$aipol" batch --as-of "$as_of" \
            --engine jit -j "$j" --stats --quiet "$fleet" -o /dev/null
        fi
      done
    done
  done
  # The JIT compiled with an empty cache, once.
  rm -rf "$out/xdg-cold"
  XDG_CACHE_HOME=$out/xdg-cold run "$n" 1 jit-j1-cold "$aipol" batch --as-of "$as_of" --engine jit -j 1 --stats \
    --quiet "$fleet" -o /dev/null
  rm -rf "$out/xdg-cold"
  if ((n > large_keep)); then rm -f "$fleet"; fi
done

echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo
python3 - "$runs_file" <<'EOF_PY'
import json, statistics, sys

rows = []
for line in open(sys.argv[1]):
    size, rep, config, wall, rss, user, sys_, load, stats = line.rstrip("\n").split("\t")
    rows.append(dict(size=int(size), rep=int(rep), config=config, wall=float(wall), rss=int(rss) / 1024.0,
                     cpu=float(user) + float(sys_), load=float(load), stats=json.loads(stats) if stats else {}))

def med(values):
    return statistics.median(values) if values else float("nan")

def verdict(ok):
    return "**met**" if ok else "**missed**"

for size in sorted({r["size"] for r in rows}):
    at = [r for r in rows if r["size"] == size]
    configs = []
    for r in at:
        if r["config"] not in configs:
            configs.append(r["config"])
    runs = max(r["rep"] for r in at)
    loads = [r["load"] for r in at]
    print("### %s records (%d run%s per configuration; load average %.1f-%.1f during the runs)\n"
          % (format(size, ","), runs, "" if runs == 1 else "s", min(loads), max(loads)))
    floor = [r for r in at if r["config"] == "floor"]
    floor_wall = med([r["wall"] for r in floor])
    floor_inner = med([r["stats"].get("total_s", float("nan")) for r in floor])
    print("| configuration | wall (median) | min | max | records/s (wall) | × floor (wall) | pipeline total_s "
          "| × floor (total_s) | read+parse ns/rec | eval ns/rec | write ns/rec | compile_s | CPU s | peak RSS (MB) "
          "| JIT tier at the end |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    summary = {}
    for config in configs:
        rs = [r for r in at if r["config"] == config]
        wall = med([r["wall"] for r in rs])
        st = lambda key: med([r["stats"].get(key, float("nan")) for r in rs])
        records = rs[0]["stats"].get("records", size)
        inner = st("total_s")
        rss = max(r["rss"] for r in rs)
        summary[config] = dict(wall=wall, inner=inner, rss=rss, eval=st("eval_ns_per_record"))
        if config == "floor":
            print("| parse floor (simdjson On-Demand, 1 thread) | %.3f s | %.3f | %.3f | %.0f | 1.00 | %.3f s | 1.00 "
                  "| | | | | %.2f | %.0f | |"
                  % (wall, min(r["wall"] for r in rs), max(r["wall"] for r in rs), records / wall, inner,
                     med([r["cpu"] for r in rs]), rss))
            continue
        n = max(records, 1)
        tiers = sorted({r["stats"].get("jit_tier") or ("optimised" if r["stats"].get("jit_optimised") else "fast") for r in rs})
        tier = "/".join(tiers) if config.startswith("jit") else ""
        print("| `--engine %s -j %s`%s | %.3f s | %.3f | %.3f | %.0f | %.2f | %.3f s | %.2f | %.0f | %.0f | %.0f "
              "| %.3f | %.2f | %.0f | %s |"
              % (config.split("-j")[0], config.split("-j")[1].split("-")[0],
                 " (empty JIT cache)" if config.endswith("cold") else
                 " (after `aipol check --jit`)" if config.endswith("thorough") else "", wall,
                 min(r["wall"] for r in rs), max(r["wall"] for r in rs), records / wall, wall / floor_wall, inner,
                 inner / floor_inner, st("read_parse_s") * 1e9 / n, st("eval_ns_per_record"),
                 st("write_s") * 1e9 / n, st("compile_s"), med([r["cpu"] for r in rs]), rss, tier))
    print()
    for jit, label in (("jit", "JIT"), ("jit-thorough", "JIT after `check --jit`")):
        j1 = summary.get(jit.replace("jit", "jit-j1"))
        if j1:
            print("- %s -j1 within 2× the floor's time: wall %.2f× → %s; pipeline only (total_s) %.2f× → %s"
                  % (label, j1["wall"] / floor_wall, verdict(j1["wall"] <= 2 * floor_wall), j1["inner"] / floor_inner,
                     verdict(j1["inner"] <= 2 * floor_inner)))
    for engine in ("interp", "jit", "jit-thorough"):
        one, two = engine.replace("-", "-j1-", 1) if "-" in engine else engine + "-j1", \
            engine.replace("-", "-j2-", 1) if "-" in engine else engine + "-j2"
        if one in summary and two in summary:
            a, b = summary[one], summary[two]
            print("- %s -j2 ≥ 1.8× -j1: wall %.2f× → %s; pipeline only %.2f×"
                  % (engine, a["wall"] / b["wall"], verdict(a["wall"] / b["wall"] >= 1.8), a["inner"] / b["inner"]))
    if "interp-j1" in summary and "jit-j1" in summary:
        print("- evaluation per record (-j1, --stats): interp %.0f ns, JIT %.0f ns: JIT %.2f× faster"
              % (summary["interp-j1"]["eval"], summary["jit-j1"]["eval"],
                 summary["interp-j1"]["eval"] / summary["jit-j1"]["eval"]))
    worst = max(v["rss"] for k, v in summary.items() if k != "floor")
    print("- peak RSS < 200 MB: largest %.0f MB → %s" % (worst, verdict(worst < 200)))
    print()
EOF_PY
