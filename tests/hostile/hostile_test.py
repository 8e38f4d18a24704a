#!/usr/bin/env python3
"""Hostile inputs for `aipol check`, `fmt`, `eval`, `explain` and `batch`.

    hostile_test.py AIPOL

Runs every input of tests/hostile/inputs/ and a set of large ones generated
here (lines and files beyond the 16 MiB record limit, deep nesting, long
operator chains, many records, a 256 MiB line on a pipe) and checks that:

- every run ends with a documented exit code (docs/cli.md: 0-4, and the one
  expected where the case says), never with a signal, a sanitizer report or
  a hang (a time limit per run);
- `batch` writes exactly one report per record, in order (`source.index`
  0, 1, 2, ...), each one line of JSON, and the number of records is the one
  expected for the input;
- a record over the limit is one InvalidJson report that says so, and
  reading a 256 MiB line keeps memory far below its size.

AIPOL_HOSTILE_LIGHT=1 (set for sanitizer builds) makes the generated inputs
smaller where the size is not the point, and skips the memory bound (ASan's
quarantine holds freed memory). Prints one line per case; exits 1 if any
case failed.
"""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
INPUTS = os.path.join(HERE, "inputs")
LIGHT = os.environ.get("AIPOL_HOSTILE_LIGHT") == "1"
TIME_LIMIT = 600 if LIGHT else 120  # seconds per run
LIMIT = 16 << 20  # runtime/limits.h: kMaxDescriptorBytes
AS_OF = ["--as-of", "2026-11-28"]
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:", "terminate called",
                   "Assertion `", "Segmentation fault", "stack-overflow")

failures = []
cases = 0


class Run:
    def __init__(self, code, out, err, seconds, max_rss_kb):
        self.code, self.out, self.err, self.seconds, self.max_rss_kb = code, out, err, seconds, max_rss_kb


def run(aipol, args, stdin=b"", cwd=None):
    """Runs aipol; stdin is bytes or a generator of byte chunks. Returns a Run."""
    start = time.monotonic()
    proc = subprocess.Popen([aipol] + args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=cwd)
    chunks = {"out": [], "err": []}

    def feed():
        try:
            if isinstance(stdin, bytes):
                proc.stdin.write(stdin)
            else:
                for chunk in stdin:
                    proc.stdin.write(chunk)
        except (BrokenPipeError, OSError):
            pass
        finally:
            try:
                proc.stdin.close()
            except OSError:
                pass

    def drain(stream, key):
        while True:
            block = stream.read(1 << 16)
            if not block:
                break
            chunks[key].append(block)

    threads = [threading.Thread(target=feed), threading.Thread(target=drain, args=(proc.stdout, "out")),
               threading.Thread(target=drain, args=(proc.stderr, "err"))]
    for t in threads:
        t.daemon = True
        t.start()
    # os.wait4 gives this child's own peak memory.
    deadline = start + TIME_LIMIT
    status, usage = None, None
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            status = None
            break
        time.sleep(0.01)
    proc.returncode = 0  # reaped above; keep subprocess from waiting again
    for t in threads[1:]:
        t.join()
    seconds = time.monotonic() - start
    if status is None:
        code = "timeout"
    elif os.WIFSIGNALED(status):
        code = -os.WTERMSIG(status)
    else:
        code = os.WEXITSTATUS(status)
    return Run(code, b"".join(chunks["out"]), b"".join(chunks["err"]), seconds, usage.ru_maxrss)


def check(name, r, allowed, extra=None):
    """Records one case: the exit code in `allowed`, no signal or sanitizer report, then `extra`."""
    global cases
    cases += 1
    problems = []
    if r.code == "timeout":
        problems.append(f"no exit within {TIME_LIMIT} s")
    elif isinstance(r.code, int) and r.code < 0:
        problems.append(f"killed by signal {-r.code}")
    elif r.code not in allowed:
        problems.append(f"exit {r.code}, expected {sorted(allowed)}")
    err = r.err.decode("utf-8", "replace")
    for mark in SANITIZER_MARKS:
        if mark in err:
            problems.append(f"stderr has `{mark}`")
            break
    if not problems and extra:
        problems += [p for p in extra(r) if p]
    status = "ok" if not problems else "FAIL"
    print(f"{status:4} {name}: exit {r.code}, {r.seconds:.1f} s, {r.max_rss_kb // 1024} MiB"
          + ("" if not problems else " -- " + "; ".join(problems)))
    if problems:
        failures.append(name)
        tail = err[-3000:]
        if tail:
            print("     stderr (end): " + tail.replace("\n", "\n     "))


def reports(r, expected, invalid_messages=None):
    """Problems with batch's JSON Lines output: one report per record, in order."""
    problems = []
    lines = r.out.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if expected is not None and len(lines) != expected:
        problems.append(f"{len(lines)} reports, expected {expected}")
    for index, line in enumerate(lines):
        try:
            report = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            problems.append(f"report {index} is not JSON in UTF-8: {e}")
            break
        if report.get("source", {}).get("index") != index:
            problems.append(f"report {index} has source.index {report.get('source', {}).get('index')}")
            break
        if invalid_messages and index in invalid_messages:
            messages = [e.get("message", "") for e in report.get("errors", [])]
            if not any(invalid_messages[index] in m for m in messages):
                problems.append(f"report {index}: no error saying `{invalid_messages[index]}` in {messages}")
    return problems


def jsonl_records(data):
    """Records of a JSON Lines input as the fleet reader splits them: non-blank lines."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return sum(1 for line in data.split(b"\n") if line.strip(b" \t\r"))


def json_records(data):
    """Records of a committed .json input that is not an array: one, unless
    blank (each holds one descriptor, or text that does not start like one and
    has no later line that does)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    stripped = data.lstrip(b" \t\r\n")
    assert not stripped.startswith(b"["), "use an explicit count for arrays"
    return 1 if stripped else 0


# Record counts of the committed array inputs (the reader's splitting, see
# runtime/fleet_reader.h and docs/cli.md).
ARRAY_RECORDS = {
    "garbage_array.json": 7,  # a, `,,`, nope, b, c (missing comma), "str", unclosed nesting
    "unclosed_array.json": 2,
    "text_after_array.json": 2,
    "unclosed_string_array.json": 2,
    "nested_array.json": 2,
    "bom_array_crlf.json": 2,
}


def expected_records(path):
    name = os.path.basename(path)
    if name in ARRAY_RECORDS:
        return ARRAY_RECORDS[name]
    with open(path, "rb") as f:
        data = f.read()
    return jsonl_records(data) if name.endswith(".jsonl") else json_records(data)


def generate(tmp):
    """Large inputs, written to `tmp`. Returns their paths by name."""
    paths = {}
    rng = random.Random(20261128)

    def write(name, data):
        path = os.path.join(tmp, name)
        with open(path, "wb") as f:
            if isinstance(data, bytes):
                f.write(data)
            else:
                for chunk in data:
                    f.write(chunk)
        paths[name] = path

    big = LIMIT + (1 << 20)  # 17 MiB: over the limit, whatever the mode
    huge_string = b'{"id": "huge", "name": "' + b"x" * big + b'"}'
    small = b'{"id": "small"}'
    write("huge_line.jsonl", small + b"\n" + huge_string + b"\n" + small + b"\n")
    write("huge_line_crlf_last.jsonl", small + b"\r\n" + huge_string)  # no final newline
    write("huge_single.json", huge_string)
    write("huge_element.json", b"[" + small + b", " + huge_string + b", " + small + b"]")
    write("huge_element_unclosed.json", b"[" + small + b", [" + b"1," * (big // 2))
    write("huge_text_after_array.json", b"[" + small + b"] " + b"z" * big)
    head, tail = b'{"id": "at-limit", "x": "', b'"}'
    at_limit = head + b"y" * (LIMIT - len(head) - len(tail)) + tail  # exactly at the limit
    write("at_limit.json", at_limit)
    write("at_limit.jsonl", at_limit + b"\r\n")
    depth = 100_000 if LIGHT else 1_000_000
    write("deep_line.jsonl", small + b"\n" + b"[" * depth + b"]" * depth + b"\n" + b'{"id": "d", "u": ' +
          b"{\"a\": " * 2000 + b"1" + b"}" * 2000 + b"}\n")
    # Descriptors in a row, one of them over the limit, then text that does
    # not start like a descriptor, over the limit too.
    write("huge_values.json", small + b"\n" + huge_string + b"\n" + small + b"\n" + b"z" * big)
    # A pretty-printed array on stdin and in a file, every seventh element
    # cut short inside a string, every eleventh after a comma.
    elements = []
    for k in range(2000):
        element = b'  {\n    "id": "p%d",\n    "name": "system %d",\n    "roles": [\n      "provider"\n    ]\n  }' % (k, k)
        if k % 7 == 3:
            element = element[:element.index(b'"name": "') + 12]
        elif k % 11 == 5:
            element = element[:element.index(b'",\n') + 2]
        elements.append(element)
    write("broken_pretty_array.json", b"[\n" + b",\n".join(elements) + b"\n]\n")
    many = 20_000 if LIGHT else 200_000
    # Records with an input error, which are not evaluated: the point is the
    # count (a descriptor with every fact unknown costs milliseconds to evaluate).
    write("many_records.jsonl", (b'{"id": 1}\n' * many))
    write("many_garbage_lines.jsonl", b"".join(bytes(rng.randrange(1, 256) for _ in range(rng.randrange(1, 40)))
                                               .replace(b"\n", b" ") + b"\n" for _ in range(5000)))
    # Policies.
    n = 20_000 if LIGHT else 100_000
    write("deep_parens.pol", b"module deep_parens\n\ndef a: int = " + b"(" * n + b"1" + b")" * n + b"\n")
    write("prefix_run.pol", b"module prefix_run\n\ndef a: bool = " + b"not " * n + b"true\n")
    write("long_chain.pol", b"module long_chain\n\ndef a: bool = true" + b" or true" * n + b"\n")
    # A syntax error before a quantifier whose body is a chain of 1990
    # operands: parsing the rest in full-LL mode took minutes (quadratic in
    # the chain; docs/design.md), here the time limit per run.
    write("quantifier_chain_error.pol", b"module quantifier_chain_error\nnope\n" +
          b"report def x = all d in [1]: d > 0 and false" + b" + 1" * 1990 + b"\n")
    write("long_line_name.pol", b"module long_line_name\n\ndef " + b"a" * (n * 10) + b": bool = true\n")
    write("huge_string_literal.pol", b"module huge_string_literal\n\ndef a: string = \"" + b"s" * big + b"\"\n")
    write("many_decls.pol", b"module many_decls\n\n" + b"".join(b"def d%d: int = %d\n" % (k, k) for k in range(n // 2)))
    # A policy whose record types nest 1100 levels, and descriptors that
    # follow them 1024 and 1025 levels deep (the limit holds along the types).
    os.makedirs(os.path.join(tmp, "deeptypes"))
    text = b"module deeptypes\n\n" + b"".join(b"record R%d { x: R%d  v: int }\n" % (k, k + 1) for k in range(1100))
    text += b"record R1100 { v: int }\nrecord Root { id: string required  r: R0 }\ninput root: Root\n"
    write(os.path.join("deeptypes", "deeptypes.pol"), text)
    for name, k in (("deep_1024.json", 1022), ("deep_1025.json", 1023)):
        write(name, b'{"id": "a", "r": ' + b'{"x": ' * k + b'{"v": 1}' + b"}" * k + b"}")
    # A chain of 5000 definitions, each using the next.
    os.makedirs(os.path.join(tmp, "chain"))
    chain = b"module chain\n\nrecord R { id: string required }\ninput r: R\n\n"
    chain += b"".join(b"def d%d: int = d%d + 1\n" % (k, k + 1) for k in range(5000)) + b"def d5000: int = 1\n"
    write(os.path.join("chain", "chain.pol"), chain + b"report def result = d0\n")
    write("one.jsonl", b'{"id": "one"}\n')
    return paths


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    aipol = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="aipol_hostile_")
    try:
        # First, while this script is small: the child's peak memory counts
        # the parent's before the exec (vfork), so later it would count ours.
        # A 256 MiB line on a pipe (64 MiB when light), between two records:
        # three reports, and memory far below the line's size (about 100 MiB
        # in a release build, the policy included).
        line_mib = 64 if LIGHT else 256
        stream = _chunks(b'{"id": "before"}\n{"id": "', b"w", line_mib << 20, b'"}\n{"id": "after"}\n')
        check(f"batch a {line_mib} MiB line on stdin",
              run(aipol, ["batch", *AS_OF, "-j", "2", "--format", "jsonl", "-"], stdin=stream), {2},
              lambda r: reports(r, 3, {1: "over the limit of"}) +
              [None if LIGHT or r.max_rss_kb < 160 * 1024 else f"peak memory {r.max_rss_kb // 1024} MiB"])

        gen = generate(tmp)

        # ------------------------------------------------------------ check and fmt
        policies = sorted(os.path.join(INPUTS, "check", f) for f in os.listdir(os.path.join(INPUTS, "check")))
        policies += [gen[k] for k in sorted(gen) if k.endswith(".pol")]
        for path in policies:
            name = os.path.basename(path)
            check(f"check {name}", run(aipol, ["check", "--no-color", path]), {0, 1})
            check(f"check --format json {name}", run(aipol, ["check", "--format", "json", path]), {0, 1},
                  lambda r: [None if r.out.strip() == b"" or _is_json(r.out) else "stdout is not JSON"])
            check(f"fmt --check {name}", run(aipol, ["fmt", "--check", path]), {0, 1})
        check("check --max-errors 5 many_errors.pol",
              run(aipol, ["check", "--max-errors", "5", os.path.join(INPUTS, "check", "many_errors.pol")]), {1},
              lambda r: [None if r.err.count(b"error:") <= 7 else "more errors than --max-errors allows"])
        check("check a directory of hostile policies", run(aipol, ["check", os.path.join(INPUTS, "check")]), {1})
        check("check a missing file", run(aipol, ["check", os.path.join(tmp, "missing.pol")]), {1})
        check("fmt garbage on stdin", run(aipol, ["fmt", "-"], stdin=bytes(range(256)) * 8), {0, 1})

        # ------------------------------------------------------------ eval and explain
        descriptors = sorted(os.path.join(INPUTS, "eval", f) for f in os.listdir(os.path.join(INPUTS, "eval")))
        for path in descriptors:
            name = os.path.basename(path)
            check(f"eval {name}", run(aipol, ["eval", *AS_OF, "--format", "json", path]), {0, 2},
                  lambda r: [None if _is_json(r.out.split(b"\n")[0]) else "the report is not JSON"])
            check(f"eval --format pretty {name}", run(aipol, ["eval", *AS_OF, "--format", "pretty", path]), {0, 2})
            check(f"explain {name}", run(aipol, ["explain", *AS_OF, path]), {0, 2})
        with open(os.path.join(INPUTS, "eval", "binary_garbage.json"), "rb") as f:
            garbage = f.read()
        check("eval garbage on stdin", run(aipol, ["eval", *AS_OF, "-"], stdin=garbage), {2})
        check("eval a directory", run(aipol, ["eval", *AS_OF, INPUTS]), {1})
        check("eval a missing file", run(aipol, ["eval", *AS_OF, os.path.join(tmp, "missing.json")]), {1})
        check("eval a descriptor over the limit", run(aipol, ["eval", *AS_OF, gen["huge_single.json"]]), {2},
              lambda r: [None if b"over the limit of" in r.out else "no message about the limit"])
        check("eval a descriptor over the limit on stdin",
              run(aipol, ["eval", *AS_OF, "-"], stdin=_chunks(b'{"id": "', b"q", LIMIT + 5, b'"}')), {2},
              lambda r: [None if b"over the limit of" in r.out else "no message about the limit"])
        check("eval a descriptor just under the limit", run(aipol, ["eval", *AS_OF, gen["at_limit.json"]]), {0, 2},
              lambda r: [None if b"over the limit of" not in r.out else "refused below the limit"])

        # ------------------------------------------------------------ batch
        fleets = sorted(os.path.join(INPUTS, "batch", f) for f in os.listdir(os.path.join(INPUTS, "batch")))
        for path in fleets:
            name = os.path.basename(path)
            n = expected_records(path)
            for jobs in ("1", "2"):
                check(f"batch -j {jobs} {name} ({n} records)",
                      run(aipol, ["batch", *AS_OF, "-j", jobs, "--format", "jsonl", path]), {0, 2},
                      lambda r, n=n: reports(r, n))
            check(f"batch --format table {name}", run(aipol, ["batch", *AS_OF, "--format", "table", path]), {0, 2})
            check(f"batch --fail-on error {name}",
                  run(aipol, ["batch", *AS_OF, "--fail-on", "error", "--format", "csv", path]),
                  {0, 4} if n else {0})
        total = sum(expected_records(p) for p in fleets)
        check(f"batch the whole hostile directory ({total} records)",
              run(aipol, ["batch", *AS_OF, "--format", "jsonl", os.path.join(INPUTS, "batch")]), {2},
              lambda r: reports(r, total))
        pretty = open(gen["broken_pretty_array.json"], "rb").read()
        check("batch a broken pretty-printed array on stdin",
              run(aipol, ["batch", *AS_OF, "--format", "jsonl", "-"], stdin=pretty), {2},
              lambda r: reports(r, 2000, {3: "breaks off before its end"}))
        check("batch garbage on stdin",
              run(aipol, ["batch", *AS_OF, "--format", "jsonl", "-"], stdin=garbage), {2},
              lambda r: reports(r, jsonl_records(garbage)))
        check("batch --format html garbage", run(aipol, ["batch", *AS_OF, "--format", "html",
                                                          os.path.join(INPUTS, "batch", "mixed.jsonl")]), {2})
        check("batch a missing input", run(aipol, ["batch", *AS_OF, os.path.join(tmp, "missing.jsonl")]), {1})

        too_long = "over the limit of"
        for name, n, invalid in [
            ("huge_line.jsonl", 3, {1: too_long}),
            ("huge_line_crlf_last.jsonl", 2, {1: too_long}),
            ("huge_single.json", 1, {0: too_long}),
            ("huge_element.json", 3, {1: too_long}),
            ("huge_element_unclosed.json", 2, {1: too_long}),
            ("huge_text_after_array.json", 2, {1: "text after the end"}),
            ("huge_values.json", 4, {1: too_long, 3: too_long}),
            ("broken_pretty_array.json", 2000, {3: "breaks off before its end"}),
            ("at_limit.jsonl", 1, {}),
            ("deep_line.jsonl", 3, {1: "nested more than 1024 levels", 2: "nested more than 1024 levels"}),
            ("many_records.jsonl", 20_000 if LIGHT else 200_000, {}),
            ("many_garbage_lines.jsonl", None, {}),
        ]:
            if n is None:
                with open(gen[name], "rb") as f:
                    n = jsonl_records(f.read())
            check(f"batch {name} ({n} records)", run(aipol, ["batch", *AS_OF, "--format", "jsonl", gen[name]]),
                  {0, 2}, lambda r, n=n, invalid=invalid: reports(r, n, invalid))
        deeptypes = gen[os.path.join("deeptypes", "deeptypes.pol")]
        check("eval: nesting 1024 levels along the policy's types",
              run(aipol, ["eval", *AS_OF, "-p", deeptypes, gen["deep_1024.json"]]), {0},
              lambda r: [None if b'"errors": []' in r.out else "an error"])
        check("eval: nesting 1025 levels along the policy's types",
              run(aipol, ["eval", *AS_OF, "-p", deeptypes, gen["deep_1025.json"]]), {2},
              lambda r: [None if b"nested more than 1024 levels" in r.out else "no message about the depth"])
        check("batch: a record at the limit is read",
              run(aipol, ["batch", *AS_OF, "--format", "jsonl", gen["at_limit.jsonl"]]), {0, 2},
              lambda r: [None if b"over the limit of" not in r.out else "refused at the limit"])

        # A chain of 5000 definitions: batch workers have `eval`'s large
        # stack (a worker on a default 8 MiB stack died of SIGSEGV here).
        chain = gen[os.path.join("chain", "chain.pol")]
        for engine in ("interp", "jit"):
            check(f"batch: a chain of 5000 definitions ({engine})",
                  run(aipol, ["batch", *AS_OF, "--engine", engine, "-p", chain, "--format", "jsonl",
                              gen["one.jsonl"]]), {0},
                  lambda r: [None if b'"facts": {"result": 5001}' in r.out else "no result of 5001"])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"{cases - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


def _is_json(data):
    try:
        json.loads(data.decode("utf-8"))
        return True
    except (UnicodeDecodeError, ValueError):
        return False


def _chunks(head, byte, count, tail):
    """head, `count` copies of `byte`, tail: as chunks, never all in memory."""
    yield head
    block = byte * (1 << 20)
    left = count
    while left > 0:
        yield block[:min(left, len(block))]
        left -= len(block)
    yield tail


if __name__ == "__main__":
    sys.exit(main())
