#!/usr/bin/env python3
"""Helpers for bench/run.sh: start-to-first-response timing, RSS reading, medians and the report table."""
import http.client, json, os, statistics, subprocess, sys, time


def answered(port, path, t0):
    """Waits (30 s from t0 at most) for a 200 on http://127.0.0.1:port/path; True when it came."""
    while time.perf_counter() < t0 + 30:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return True
        except OSError:
            time.sleep(0.001)
    return False


def end(proc):
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def first_answer(port, path, cmd):
    """Spawns cmd and waits for the first 200 on http://127.0.0.1:port/path (30 s at most); returns
    (ms from the spawn, CPU ms the process used by then: the sum of its threads' run time from
    /proc/PID/task/*/schedstat), or None. Stops the process either way."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not answered(port, path, t0):
            return None
        wall = (time.perf_counter() - t0) * 1000
        task = f"/proc/{proc.pid}/task"
        cpu = sum(int(open(f"{task}/{t}/schedstat").read().split()[0]) for t in os.listdir(task)) / 1e6
        return wall, cpu
    finally:
        end(proc)


def stop(repeats, port, path, *cmd):
    """Median over repeats runs of the milliseconds from SIGTERM to exit, each sent 0.3 s after the
    first 200 on http://127.0.0.1:port/path (its background services running by then)."""
    times = []
    for _ in range(int(repeats)):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            if not answered(port, path, time.perf_counter()):
                print("nan")
                return
            time.sleep(0.3)
            t0 = time.perf_counter()
            proc.terminate()
            proc.wait(10)
            times.append((time.perf_counter() - t0) * 1000)
        finally:
            if proc.poll() is None:
                end(proc)
    print(f"{statistics.median(times):.1f}")


def startup(port, path, *cmd):
    """Milliseconds from spawning cmd to the first 200 on http://127.0.0.1:port/path."""
    answer = first_answer(port, path, cmd)
    print(f"{answer[0]:.0f}" if answer else "nan")


def startup_cpu(repeats, port, path, *cmd):
    """Medians over repeats starts of the wall and CPU milliseconds of first_answer."""
    answers = [first_answer(port, path, cmd) for _ in range(int(repeats))]
    if None in answers:
        print("nan nan")
        return
    print(f"{statistics.median(a[0] for a in answers):.1f} {statistics.median(a[1] for a in answers):.1f}")


def rss_kib(pid):
    """Resident set size of pid and its children (nginx workers), in KiB."""
    total = 0
    pids = [pid] + subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except FileNotFoundError:
            pass
    print(total)


def http_idle(port, path, count):
    """Opens count keep-alive connections to 127.0.0.1:port, sends one GET path on each and reads
    its whole response, prints "ready N", then holds them idle until stdin closes."""
    import socket
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    held = []
    for _ in range(int(count)):
        s = socket.create_connection(("127.0.0.1", int(port)), timeout=10)
        s.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                raise SystemExit("the server closed a connection before answering")
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        if " 200 " not in lines[0] + " ":
            raise SystemExit("unexpected answer: " + lines[0])
        length = next(int(l.split(":", 1)[1]) for l in lines[1:] if l.lower().startswith("content-length:"))
        while len(body) < length:
            body += s.recv(65536)
        held.append(s)
    print(f"ready {len(held)}", flush=True)
    sys.stdin.read()
    for s in held:
        s.close()


def report(results_file, out_md, machine):
    """results_file: lines 'test server value'. Prints a table of medians and ratios, writes markdown."""
    data = {}
    order = []
    for line in open(results_file):
        parts = line.split()
        if len(parts) != 3:
            continue
        test, server, value = parts
        if test not in order:
            order.append(test)
        try:
            v = float(value)
        except ValueError:
            continue
        if v == v:  # not NaN
            data.setdefault(test, {}).setdefault(server, []).append(v)
    units = {"plaintext": "req/s", "static-1k": "req/s", "static-10m": "req/s", "ws-echo": "msg/s",
             "ws-idle-mem": "KiB/conn", "http-idle-mem": "KiB/conn", "startup": "ms", "startup-aot": "ms",
             "tls-plaintext": "req/s", "tls-static-1k": "req/s", "tls-static-10m": "req/s", "tls-ws-echo": "msg/s",
             "tls-handshakes": "handshakes/s", "pipelined": "req/s", "plaintext-accesslog": "req/s", "conn-per-request": "req/s", "static-mix": "req/s",
             "browser": "req/s", "browser-pipelined": "req/s", "static-1k-browser": "req/s", "static-1k-reload": "req/s"}
    better_low = {"ws-idle-mem", "http-idle-mem", "startup", "startup-aot"}
    rows = []
    header = "| test | unit | Zones | Kestrel | nginx | Zones / Kestrel | Zones / nginx | runs |"
    rows.append(header)
    rows.append("|---|---|---:|---:|---:|---:|---:|---:|")
    for test in order:
        med = {s: statistics.median(v) for s, v in data.get(test, {}).items()}
        def fmt(s):
            return f"{med[s]:,.1f}" if s in med and med[s] < 100 else (f"{med[s]:,.0f}" if s in med else "–")
        def ratio(other):
            if "zones" in med and other in med and med[other] > 0:
                return f"{med['zones'] / med[other]:.2f}×"
            return "–"
        n = max((len(v) for v in data.get(test, {}).values()), default=0)
        rows.append(f"| {test} | {units.get(test.split('@')[0], '')}{' (lower is better)' if test in better_low else ''} | {fmt('zones')} | {fmt('kestrel')} | {fmt('nginx')} | {ratio('kestrel')} | {ratio('nginx')} | {n} |")
    # What each server keeps of its plaintext rate with its file access log on, per load shape.
    for test in order:
        if test.split("@")[0] != "plaintext-accesslog":
            continue
        plain = test.replace("plaintext-accesslog", "plaintext")
        kept = [f"{s} {statistics.median(data[test][s]) / statistics.median(data[plain][s]):.2f}"
                for s in ("zones", "kestrel") if s in data.get(test, {}) and s in data.get(plain, {})]
        if kept:
            rows.append("")
            rows.append(f"{test}: share of {plain} kept with the access log on — " + ", ".join(kept))
    table = "\n".join(rows)
    print(table)
    with open(out_md, "w") as f:
        f.write("# Benchmark results\n\n")
        f.write("Produced by `bench/run.sh` (medians of the rounds; servers alternate within each round).\n\n")
        f.write(machine + "\n\n")
        f.write(table + "\n\n")
        f.write("Raw measurements (test server value):\n\n```\n" + open(results_file).read() + "```\n")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"startup": startup, "startup-cpu": startup_cpu, "stop": stop, "rss": lambda pid: rss_kib(int(pid)), "report": report,
     "http-idle": http_idle}[cmd](*args)
