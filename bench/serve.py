"""Benchmark: the web app under load. 50 concurrent clients on timeline, dyad and ask for 60 s.

Not a test: run it by hand and read the summary.

    .venv/bin/python bench/serve.py --db out/bench-ingest-j2.db
    .venv/bin/python bench/serve.py --db kb.db --clients 20 --seconds 30 --out out/bench-serve-small.json

The server runs as ``diplograph serve`` in its own process on a free loopback port (the
clients' work does not slow it down beyond sharing the machine's cores). Targets come
from the knowledge base itself: the states with the most events (``/api/actors``) and the
heaviest dyads (``/api/network``); questions are built from them. Each client (asyncio +
httpx2, one connection each) picks an endpoint in turn: ``/api/timeline`` (a dyad or an
actor, the default page of 200 events), ``/api/dyad`` (by year) and ``/api/ask``. Every
answer other than 200 is an error. One question is asked before the clock starts (it
loads the language model; its time is reported as ``first_ask_ms``). Only loopback is ever
contacted, the run stops itself after ``--seconds`` (requests in flight then finish or time
out), and it writes requests, errors, p50/p95/p99 per endpoint and overall to ``--out`` (JSON).

Target: 0 errors.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

import httpx2 as httpx
import psutil

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DB = REPO / "out" / "bench-ingest-j2.db"
ENDPOINTS = ("timeline", "dyad", "ask")
QUESTIONS = ("When did {a} and {b} sign a treaty?", "What was the trade between {a} and {b}?",
             "Who leads {a}?", "When did {a} impose sanctions on {b}?", "How many troops does {a} have in {b}?")
REQUEST_TIMEOUT_S = 120.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(db: str, port: int) -> subprocess.Popen:
    """``diplograph serve`` in a child process (loopback only)."""
    command = [sys.executable, "-c", "from diplograph.cli import app; app()", "serve", "--db", db,
               "--host", "127.0.0.1", "--port", str(port)]
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_ready(base: str, server: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output = server.stdout.read() if server.stdout else ""
            sys.exit(f"bench: the server stopped before answering:\n{output.strip()}")
        try:
            if httpx.get(f"{base}/api/info", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    sys.exit(f"bench: the server did not answer within {timeout:.0f} s")


def pick_targets(base: str, count: int) -> tuple[list[str], list[tuple[str, str]]]:
    """The busiest states and the heaviest state dyads of the knowledge base."""
    actors = httpx.get(f"{base}/api/actors", params={"type": "state", "limit": count}, timeout=120).json()["actors"]
    states = [actor["id"] for actor in actors if actor["events"] > 0][:count]
    edges = httpx.get(f"{base}/api/network", params={"limit": 400}, timeout=120).json()["edges"]
    known = set(states)
    dyads = list(dict.fromkeys(tuple(sorted((e["source"], e["target"]))) for e in edges
                               if e["source"] in known and e["target"] in known))[:count]
    if not states or not dyads:
        sys.exit("bench: the knowledge base has no events between states to query")
    return states, dyads


def request_for(endpoint: str, rng: random.Random, states: list[str], dyads: list[tuple[str, str]]):
    a, b = rng.choice(dyads)
    if endpoint == "timeline":
        params = {"dyad": f"{a}-{b}"} if rng.random() < 0.5 else {"actor": rng.choice(states)}
        return "/api/timeline", params
    if endpoint == "dyad":
        return "/api/dyad", {"a": a, "b": b, "by": "year"}
    return "/api/ask", {"q": rng.choice(QUESTIONS).format(a=a, b=b)}


async def client(index: int, base: str, stop_at: float, states, dyads, samples: dict, errors: dict) -> None:
    rng = random.Random(index)
    turn = index % len(ENDPOINTS)
    async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT_S,
                                 limits=httpx.Limits(max_connections=1)) as http:
        while time.monotonic() < stop_at:
            endpoint = ENDPOINTS[turn]
            turn = (turn + 1) % len(ENDPOINTS)
            path, params = request_for(endpoint, rng, states, dyads)
            started = time.perf_counter()
            try:
                response = await http.get(path, params=params)
                ok = response.status_code == 200
                detail = None if ok else f"{response.status_code} {response.text[:200]}"
            except httpx.HTTPError as err:
                ok, detail = False, f"{type(err).__name__}: {err}"
            elapsed_ms = (time.perf_counter() - started) * 1000
            samples[endpoint].append(elapsed_ms)
            if not ok:
                errors[endpoint].append(f"{path} {params}: {detail}")


def percentile(values: list[float], q: float) -> Optional[float]:
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return round(ordered[rank], 1)


def summary(values: list[float], errors: list[str], seconds: float) -> dict:
    return {"requests": len(values), "errors": len(errors), "per_s": round(len(values) / seconds, 2),
            "p50_ms": percentile(values, 50), "p95_ms": percentile(values, 95), "p99_ms": percentile(values, 99),
            "max_ms": round(max(values), 1) if values else None,
            "mean_ms": round(statistics.fmean(values), 1) if values else None, "first_errors": errors[:5]}


async def load(base: str, clients: int, seconds: float, states, dyads) -> tuple[dict, float]:
    samples = {endpoint: [] for endpoint in ENDPOINTS}
    errors = {endpoint: [] for endpoint in ENDPOINTS}
    started = time.monotonic()
    stop_at = started + seconds
    await asyncio.gather(*(client(i, base, stop_at, states, dyads, samples, errors) for i in range(clients)))
    wall = time.monotonic() - started
    report = {endpoint: summary(samples[endpoint], errors[endpoint], wall) for endpoint in ENDPOINTS}
    report["all"] = summary([v for values in samples.values() for v in values],
                            [e for found in errors.values() for e in found], wall)
    return report, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default=str(DEFAULT_DB), help="Knowledge base to serve (default: %(default)s).")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--targets", type=int, default=20, help="States and dyads to draw requests from.")
    parser.add_argument("--out", default=str(REPO / "out" / "bench-serve.json"))
    args = parser.parse_args()
    if not Path(args.db).exists() and "://" not in args.db:
        sys.exit(f"bench: {args.db}: no knowledge base here (build one with `diplograph ingest` or bench/ingest.py)")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(args.db, port)
    try:
        wait_ready(base, server)
        states, dyads = pick_targets(base, args.targets)
        info = httpx.get(f"{base}/api/info", timeout=30).json()
        started = time.perf_counter()  # the first question loads the language model: timed apart
        httpx.get(f"{base}/api/ask", params={"q": f"Who leads {states[0]}?"}, timeout=REQUEST_TIMEOUT_S)
        first_ask_ms = (time.perf_counter() - started) * 1000
        print(f"bench: {info['documents']} documents; {args.clients} clients for {args.seconds:g} s on "
              f"{', '.join(ENDPOINTS)} ({len(states)} states, {len(dyads)} dyads)", file=sys.stderr)
        load_before = os.getloadavg()[0]
        report, wall = asyncio.run(load(base, args.clients, args.seconds, states, dyads))
        server_rss_mb = psutil.Process(server.pid).memory_info().rss / 2**20
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    result = {"db": args.db, "documents": info["documents"], "clients": args.clients, "seconds": round(wall, 1),
              "cpus": os.cpu_count(), "load_average_at_start": round(load_before, 2),
              "server_rss_mb": round(server_rss_mb, 1), "first_ask_ms": round(first_ask_ms, 1), "states": states, "dyads": [f"{a}-{b}" for a, b in dyads],
              "endpoints": report}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(f"{'endpoint':10} {'requests':>9} {'errors':>7} {'per s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for endpoint, row in report.items():
        print(f"{endpoint:10} {row['requests']:>9} {row['errors']:>7} {row['per_s']:>7} {row['p50_ms'] or 0:>8} "
              f"{row['p95_ms'] or 0:>8} {row['p99_ms'] or 0:>8}")
    print(f"bench: written to {args.out}", file=sys.stderr)
    if report["all"]["errors"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
