"""Benchmark of the district hub on PostgreSQL 15, on loopback.

Run: ``./scripts/bench hub`` (a throw-away, durable PostgreSQL cluster through
scripts/with-postgres), or ``.venv/bin/python -m bench.bench_hub [--schools 100]
[--load-kiosks 50] [--load-records 2000]`` beside a server named by KIOSK_TEST_POSTGRES.

1. Fills the hub with ``--schools`` schools x one generated school year (about 51,000 records a
   school: 100 schools make about 5 million), stored through the ingest code in two processes.
2. Times every district page and every page of one school (district staff logged in; median
   and worst of 3 loads each, the template rendered). Goal: at most 1 s each.
3. Starts gunicorn (``--workers`` sync workers, default 3: 2 x cores - 1) on the same
   database and lets ``--load-kiosks`` simulated kiosks push ``--load-records`` records each in
   batches of 200 (``--batch``), all at once, then send one batch again (the answer lost). Goals: at least 5,000 records/s stored; every record id stored
   exactly once (counted in the database); p95 request time printed.
Time and peak memory (this process, the fill workers, the gunicorn workers) are printed.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import resource
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGE_GOAL_S = 1.0
RATE_GOAL = 5000.0
BATCH = 200


def peak_mb() -> float:
    """This process's peak RSS in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_mb() -> float:
    """The largest peak RSS of a waited-for child process, in MB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def setup_django(url: str) -> None:
    """Point the hub at the benchmark's database and start Django."""
    os.environ["HUB_DATABASE_URL"] = url
    os.environ.setdefault("HUB_SECRET_KEY", "bench-only")
    os.environ["DJANGO_SETTINGS_MODULE"] = "hub.settings"
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS.append("testserver")
    import hub.urls  # noqa: F401 - every module loaded now, before the long fill
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)


def bench_database(base_url: str, name: str, reuse: bool = False) -> str:
    """A fresh database in the cluster (dropped first if it exists), or with ``reuse`` the one
    a previous run filled."""
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not (reuse and exists):
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(base_url)
    return parts._replace(path="/" + name).geturl()


# -- 1. fill -----------------------------------------------------------------------------------
def _fill_worker(args) -> tuple[int, float]:
    url, codes = args
    setup_django(url)
    from hub.demo import store_generated
    from hub.generate import school_year_records
    from hub.schools.models import Kiosk

    stored = 0
    for code in codes:
        kiosk = Kiosk.objects.select_related("school").get(school__code=code)
        seed = int(code[-3:])
        stored += store_generated(kiosk, school_year_records(
            code, kiosk.kiosk_id, seed=seed, school_year="2026-2027",
            loans_per_student_month=3.5, lessons_per_teacher_week=4.0), batch=2000)
    return stored, peak_mb()


def fill(url: str, schools: int, processes: int = 2) -> dict:
    """Make the schools and store a school year for each; returns counts and timings."""
    from django.db import connections

    from hub.ingest.tokens import issue_token
    from hub.schools.models import Kiosk, School

    codes = []
    for n in range(1, schools + 1):
        school = School.objects.create(code=f"BENCH-{n:03d}", name=f"Trường THCS số {n}")
        issue_token(Kiosk.objects.create(school=school, kiosk_id=f"k-{n:03d}"))
        codes.append(school.code)
    connections.close_all()
    start = time.perf_counter()
    context = multiprocessing.get_context("fork")
    with context.Pool(processes) as pool:
        results = pool.map(_fill_worker, [(url, codes[i::processes]) for i in range(processes)])
    elapsed = time.perf_counter() - start
    stored = sum(r[0] for r in results)
    return {"stored": stored, "seconds": elapsed, "worker_peak_mb": max(r[1] for r in results)}


# -- 2. pages ----------------------------------------------------------------------------------
def time_pages(school_code: str) -> list[tuple[str, float, float]]:
    """(url, median s, worst s) of every page, as district staff."""
    from django.contrib.auth.models import User
    from django.test import Client

    from hub.schools.models import Membership
    from hub.web.models import DistrictRequest, RequestAnswer
    from hub.schools.models import School

    user = User.objects.create_user("bench-phong", password="x", is_staff=True)
    Membership.objects.create(user=user, role="district")
    request = DistrictRequest.objects.create(title="Thống kê số tiết HK1", kind="usage_subjects",
                                             school_year="2026-2027", term="HK1",
                                             due_on="2027-01-15")
    RequestAnswer.objects.bulk_create([RequestAnswer(request=request, school=s)
                                       for s in School.objects.all()])
    client = Client()
    client.force_login(user)
    q = "?year=2026-2027&term=HK1"
    s = f"/s/{school_code}"
    urls = ["/district/", "/district/?sort=name", f"/district/usage/{q}",
            f"/district/usage/{q}&format=xlsx&table=subjects", "/district/reading/?year=2026-2027",
            "/district/declarations/?year=2026-2027", "/district/overdue/",
            "/district/requests/", f"/district/requests/{request.pk}/",
            f"{s}/", f"{s}/usage/{q}", f"{s}/usage/{q}&format=xlsx", f"{s}/usage/subjects/{q}",
            f"{s}/usage/missed/?year=2026-2027", f"{s}/usage/missed/?year=2026-2027&format=xlsx",
            f"{s}/reading/?year=2026-2027", f"{s}/reading/?year=2026-2027&format=xlsx",
            f"{s}/reading/?year=2026-2027&view=per_student",
            f"{s}/declarations/?year=2026-2027", f"{s}/overdue/", f"{s}/requests/",
            f"{s}/requests/{request.pk}/"]
    out = []
    for url in urls:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
        out.append((url, statistics.median(times), max(times)))
    return out


# -- 3. load -----------------------------------------------------------------------------------
def _kiosk_bodies(code: str, kiosk_id: str, seed: int, count: int,
                  batch: int = BATCH) -> list[bytes]:
    from hub.generate import school_year_records

    records = []
    for record in school_year_records(code, kiosk_id, seed=seed, school_year="2026-2027",
                                      loans_per_student_month=3.5, lessons_per_teacher_week=4):
        records.append(record)
        if len(records) >= count:
            break
    return [json.dumps({"school_code": code, "kiosk_id": kiosk_id,
                        "records": records[i:i + batch]}, ensure_ascii=False).encode()
            for i in range(0, len(records), batch)]


def _push_worker(args) -> dict:
    port, kiosks = args
    latencies, statuses, lock = [], {}, threading.Lock()
    answers = {"accepted": 0, "duplicate": 0, "rejected": 0}

    def one(token: str, bodies: list[bytes]):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for body in bodies + bodies[:1]:  # the first batch again: its answer was "lost"
            while True:
                start = time.perf_counter()
                conn.request("POST", "/v1/records", body=body,
                             headers={"Authorization": f"Bearer {token}",
                                      "Content-Type": "application/json"})
                response = conn.getresponse()
                payload = response.read()
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    statuses[response.status] = statuses.get(response.status, 0) + 1
                if response.status == 200:
                    with lock:
                        for result in json.loads(payload)["results"]:
                            answers[result["status"]] += 1
                    break
                time.sleep(min(5.0, float(response.getheader("Retry-After") or 1)))
        conn.close()

    threads = [threading.Thread(target=one, args=k) for k in kiosks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"latencies": latencies, "statuses": statuses, "answers": answers}


def load(url: str, kiosks: int, records: int, workers: int = 3, batch: int = BATCH) -> dict:
    """Start gunicorn and push from ``kiosks`` simulated kiosks at once."""
    from django.db import connections

    from hub.ingest.models import Record
    from hub.ingest.tokens import issue_token
    from hub.schools.models import Kiosk, School

    prepared, ids = [], set()
    for n in range(1, kiosks + 1):
        school = School.objects.create(code=f"LOAD-{n:03d}", name=f"Trường tải {n}")
        kiosk = Kiosk.objects.create(school=school, kiosk_id=f"load-{n:03d}")
        bodies = _kiosk_bodies(school.code, kiosk.kiosk_id, 1000 + n, records, batch)
        for body in bodies:
            ids.update(r["id"] for r in json.loads(body)["records"])
        prepared.append((issue_token(kiosk), bodies))
    before = Record.objects.count()
    server_pid = postmaster_pid()
    connections.close_all()
    port = _free_port()
    env = dict(os.environ, HUB_DATABASE_URL=url, HUB_SECRET_KEY="bench-only",
               DJANGO_SETTINGS_MODULE="hub.settings")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--backlog", "256", "--log-level", "warning",
         "hub.wsgi:application"], cwd=ROOT, env=env)
    try:
        _wait_for(port)
        halves = [(port, prepared[i::2]) for i in range(2)]
        cpu_before = cpu_seconds(server_pid, server.pid)
        clients_before = _children_cpu()
        load_before = os.getloadavg()
        start = time.perf_counter()
        with multiprocessing.get_context("fork").Pool(2) as pool:
            results = pool.map(_push_worker, halves)
        elapsed = time.perf_counter() - start
        load_after = os.getloadavg()
        cpu_after = cpu_seconds(server_pid, server.pid)
        cpu_after["clients"] = _children_cpu() - clients_before
        cpu_before["clients"] = 0.0
        worker_peaks = _gunicorn_peaks(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    latencies = sorted(x for r in results for x in r["latencies"])
    answers = {k: sum(r["answers"][k] for r in results) for k in results[0]["answers"]}
    statuses: dict = {}
    for r in results:
        for code, n in r["statuses"].items():
            statuses[code] = statuses.get(code, 0) + n
    stored = Record.objects.count() - before
    from django.db.models import Count

    doubles = (Record.objects.filter(school__code__startswith="LOAD-").values("id")
               .annotate(n=Count("id")).filter(n__gt=1).count())
    return {"sent": len(ids), "stored": stored, "seconds": elapsed, "rate": stored / elapsed,
            "p50": latencies[len(latencies) // 2], "p95": latencies[int(len(latencies) * .95)],
            "max": latencies[-1], "requests": len(latencies), "statuses": statuses,
            "answers": answers, "doubles": doubles, "gunicorn_peak_mb": worker_peaks,
            "loadavg": (load_before, load_after),
            "cpu": {k: cpu_after[k] - cpu_before[k] for k in cpu_after}}


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int) -> None:
    import socket

    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (the simulated kiosks' processes)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def postmaster_pid() -> int:
    """The pid of the PostgreSQL server the benchmark uses (from its data directory)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT setting FROM pg_settings WHERE name = 'data_directory'")
        folder = cursor.fetchone()[0]
    return int((Path(folder) / "postmaster.pid").read_text().split()[0])


def _cpu_of_tree(parent: int, tick: int) -> float:
    """CPU seconds of ``parent`` (with its children that exited and were waited for) and of
    its live children, from /proc."""
    used = 0.0
    for child in Path("/proc").iterdir():
        if not child.name.isdigit():
            continue
        try:
            stat = (child / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        pid, ppid = int(child.name), int(fields[1])
        if pid == parent:
            used += sum(int(f) for f in fields[11:15]) / tick  # utime stime cutime cstime
        elif ppid == parent:
            used += (int(fields[11]) + int(fields[12])) / tick
    return used


def cpu_seconds(postgres: int, gunicorn: int) -> dict[str, float]:
    """CPU seconds used so far by this benchmark's PostgreSQL server and gunicorn (their
    processes only: other PostgreSQL servers and programs on a shared machine are not
    counted, as they were before 2026-12-02)."""
    tick = os.sysconf("SC_CLK_TCK")
    return {"postgres": _cpu_of_tree(postgres, tick), "gunicorn": _cpu_of_tree(gunicorn, tick)}


def _gunicorn_peaks(pid: int) -> float:
    peaks = []
    for child in Path("/proc").iterdir():
        try:
            status = (child / "status").read_text()
        except OSError:
            continue
        if f"PPid:\t{pid}\n" in status or child.name == str(pid):
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
    return max(peaks) if peaks else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=100)
    parser.add_argument("--load-kiosks", type=int, default=50)
    parser.add_argument("--load-records", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--batch", type=int, default=BATCH,
                        help="records per request (the kiosk's sync.batch_size, default 200)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the schools a previous run stored (same server), skip the fill")
    args = parser.parse_args()
    base = os.environ.get("KIOSK_TEST_POSTGRES")
    if not base:
        print("bench_hub: run through scripts/with-postgres (KIOSK_TEST_POSTGRES not set)")
        return 2
    began = time.perf_counter()
    url = bench_database(base, "hubbench", args.reuse)
    setup_django(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    ok = True
    from hub.ingest.models import Record
    from hub.schools.models import School

    if args.reuse and School.objects.filter(code__startswith="BENCH-").exists():
        Record.objects.filter(school__code__startswith="LOAD-").delete()
        School.objects.filter(code__startswith="LOAD-").delete()
        from django.contrib.auth.models import User

        User.objects.filter(username="bench-phong").delete()
        print(f"fill: reusing {School.objects.count()} schools of a previous run")
    else:
        filled = fill(url, args.schools)
        print(f"fill: {filled['stored']:,} records for {args.schools} schools in "
              f"{filled['seconds']:.0f} s ({filled['stored'] / filled['seconds']:,.0f} records/s,"
              f" 2 processes in-process ingest; worker peak RSS "
              f"{filled['worker_peak_mb']:.0f} MB)")
    total = Record.objects.count()
    with __import__("django.db", fromlist=["connection"]).connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    print(f"pages at {total:,} records (database {size}); goal <= {PAGE_GOAL_S:.1f} s each")
    print(f"  {'page':<58} {'median':>8} {'worst':>8}")
    for page, median, worst in time_pages("BENCH-001"):
        met = worst <= PAGE_GOAL_S
        ok &= met
        print(f"  {page:<58} {median:>7.3f}s {worst:>7.3f}s {'ok' if met else 'SLOW'}")
    result = load(url, args.load_kiosks, args.load_records, args.workers, args.batch)
    exactly_once = result["stored"] == result["sent"] and result["doubles"] == 0
    rate_met = result["rate"] >= RATE_GOAL
    ok &= exactly_once and rate_met
    print(f"load: {args.load_kiosks} kiosks x {args.load_records} records, batches of "
          f"{args.batch}, all at once, into a database already holding {total:,} records; "
          "load average (1, 5, 15 min) before %.1f %.1f %.1f, after %.1f %.1f %.1f (2 cores: "
          "above 2, other work shares them)" % (*result["loadavg"][0], *result["loadavg"][1]))
    print(f"  stored {result['stored']:,} of {result['sent']:,} distinct ids sent in "
          f"{result['seconds']:.1f} s = {result['rate']:,.0f} records/s (goal >= "
          f"{RATE_GOAL:,.0f}: {'met' if rate_met else 'NOT met'}; "
          f"x{result['rate'] / RATE_GOAL:.2f})")
    print(f"  each id stored exactly once: {'yes' if exactly_once else 'NO'} "
          f"(ids stored twice: {result['doubles']}); answers {result['answers']}")
    print(f"  requests {result['requests']} {result['statuses']}; time p50 "
          f"{result['p50'] * 1000:.0f} ms, p95 {result['p95'] * 1000:.0f} ms, max "
          f"{result['max'] * 1000:.0f} ms; gunicorn worker peak RSS "
          f"{result['gunicorn_peak_mb']:.0f} MB")
    cpu = result["cpu"]
    used = cpu["postgres"] + cpu["gunicorn"] + cpu["clients"]
    print(f"  CPU during the load: PostgreSQL {cpu['postgres']:.1f} s, gunicorn "
          f"{cpu['gunicorn']:.1f} s, the simulated kiosks {cpu['clients']:.1f} s: {used:.1f} of "
          f"the {2 * result['seconds']:.1f} core-seconds that passed (the rest went to other "
          f"work on this machine, or to waiting)")
    print(f"  at that cost, 2 cores of our own would store about "
          f"{result['stored'] / (used / 2):,.0f} records/s (an estimate, not a measurement)")
    print(f"total {time.perf_counter() - began:.0f} s; this process peak RSS {peak_mb():.0f} MB, "
          f"largest child {children_peak_mb():.0f} MB")
    print("bench_hub:", "all goals met" if ok else "GOALS NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
