"""`make bench`: the pages' speed at clinic scale, on PostgreSQL under production settings.

    python -m bench [--small] [--patients N] [--logs N] [--duration S] [--output FILE]

1. Creates the database if it is missing (DATABASE_URL, or hep_bench_<patients> on the local
   server), migrates it and builds the dataset (bench/dataset.py) unless the same sizes are
   already there (`--rebuild` forces a fresh one).
2. Starts gunicorn (2 sync workers) with DJANGO_ENV=production, a generated SECRET_KEY and
   ALLOWED_HOSTS=127.0.0.1. The bench plays the TLS proxy: it sends `X-Forwarded-Proto: https`,
   the header production settings trust, so secure cookies and the HTTPS redirect work as
   behind Caddy while the traffic stays plain HTTP on the loopback.
3. Signs in as a patient, a therapist and a clinic admin (the audit trail; with the second
   step's code) through the sign-in form (session + CSRF cookies) and uses their API tokens,
   checks every page answers 200, then loads each one with wrk (16 connections), with
   /healthz loaded before each page and at the end, and prints req/s, p50, p99 and each
   page's ratio to /healthz around it; the same figures go to a JSON file.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).resolve().parent / "report.lua"
HOST = "127.0.0.1"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="100 patients (CI, quick checks)")
    parser.add_argument("--patients", type=int, help="patients in the clinic (default 10000)")
    parser.add_argument("--therapists", type=int, default=20)
    parser.add_argument("--logs", type=int, help="exercise logs (default 100 per patient)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=0, help="gunicorn port (default: a free one)")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--rebuild", action="store_true", help="build the dataset anew")
    parser.add_argument("--only", help="only pages whose name contains this text")
    parser.add_argument("--output", default="", help="JSON results (default bench-<N>.json)")
    args = parser.parse_args(argv)
    if args.patients is None:
        args.patients = 100 if args.small else 10_000
    if args.logs is None:
        args.logs = args.patients * 100
    if not args.database_url:
        args.database_url = f"postgres://postgres@{HOST}:5432/hep_bench_{args.patients}"
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("the bench runs on PostgreSQL: give a postgres:// DATABASE_URL")
    args.output = args.output or f"bench-{args.patients}.json"
    return args


def ensure_database(url: str):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        print(f"Creating database {name}")
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare_dataset(args):
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "clinic.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from bench import dataset

    call_command("migrate", verbosity=0, interactive=False)
    sizes = {"patients": args.patients, "therapists": args.therapists, "logs": args.logs}
    found = None if args.rebuild else dataset.existing(**sizes)
    if found is not None:
        print(f"Reusing the dataset in the database ({found.logs} logs)")
        return found
    print(f"Building the dataset: {sizes}")
    started = time.monotonic()
    built = dataset.build(**sizes, log=print)
    print(f"Dataset built in {time.monotonic() - started:.1f} s")
    return built


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def production_env(args) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS=HOST,
        # Production refuses to start without it (links in e-mails); nothing is sent here.
        SITE_URL="https://bench.invalid",
        DATABASE_URL=args.database_url,
        CONN_MAX_AGE="60",
        # The bench is one user hammering pages: the API's per-user limit would answer 429.
        API_THROTTLE_USER="100000000/minute",
        API_THROTTLE_ANON="100000000/minute",
    )
    env.pop("DEBUG", None)
    return env


class Server:
    def __init__(self, args, env):
        self.port = args.port or free_port()
        python = Path(sys.executable)
        subprocess.run(  # noqa: S603
            [python, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        gunicorn = python.parent / "gunicorn"
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(gunicorn),
                "clinic.wsgi:application",
                "--workers",
                str(args.workers),
                "--bind",
                f"{HOST}:{self.port}",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if request(self.port, "GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn stopped before answering /healthz")
            time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def request(port, method, path, headers=None, body=None):
    conn = HTTPConnection(HOST, port, timeout=120)
    try:
        conn.request(method, path, body=body, headers={**PROXY_HEADERS, **(headers or {})})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def cookies_from(headers) -> dict:
    jar = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key.strip()] = rest.split(";", 1)[0]
    return jar


def cookie_header(jar: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def sign_in(port, email, password, code=None) -> str:
    """The sign-in form as a browser fills it; returns the Cookie header of the session."""
    status, headers, body = request(port, "GET", "/accounts/login/")
    jar = cookies_from(headers)
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or not match or "csrftoken" not in jar:
        raise RuntimeError(f"the sign-in page answered {status} without a CSRF token")
    form = urlencode(
        {"csrfmiddlewaretoken": match.group(1).decode(), "username": email, "password": password}
    )
    status, headers, _ = request(
        port,
        "POST",
        "/accounts/login/",
        headers={
            "Cookie": cookie_header(jar),
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"https://{HOST}:{port}/accounts/login/",
        },
        body=form,
    )
    jar.update(cookies_from(headers))
    if status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"signing in as {email} answered {status}, not a redirect")
    if code is not None:
        _second_step(port, jar, code)
    return cookie_header(jar)


def _second_step(port, jar: dict, code: str):
    """The two-step sign-in's code page, as an admin with an authenticator app fills it."""
    path = "/accounts/two-step/verify/"
    status, headers, body = request(port, "GET", path, headers={"Cookie": cookie_header(jar)})
    jar.update(cookies_from(headers))
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or not match:
        raise RuntimeError(f"the two-step page answered {status} without a form")
    form = urlencode({"csrfmiddlewaretoken": match.group(1).decode(), "code": code})
    status, headers, _ = request(
        port,
        "POST",
        path,
        headers={
            "Cookie": cookie_header(jar),
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"https://{HOST}:{port}{path}",
        },
        body=form,
    )
    jar.update(cookies_from(headers))
    if status != 302:
        raise RuntimeError(f"the two-step code answered {status}, not a redirect")


def pages(data) -> list[tuple[str, str, str]]:
    """(name, path, who) in the order they are loaded; who is patient, staff or a token."""
    return [
        # The floor: a signed-in request through every middleware (session, user, audit,
        # logoff, two-step) whose view does almost nothing: the best ratio a page can reach.
        ("floor: signed-in, no page work", "/portal/manifest.webmanifest", "patient"),
        ("patient: today", "/portal/", "patient"),
        ("patient: exercise page", f"/portal/items/{data.item_id}/", "patient"),
        ("patient: history", "/portal/history/", "patient"),
        ("patient: missed days", "/portal/days/", "patient"),
        ("patient: pain check", "/portal/pain-check/", "patient"),
        ("patient: /api/v1/me/today/", "/api/v1/me/today/", "patient_token"),
        (
            "patient: outcome measure (question)",
            f"/portal/questionnaires/{data.measure_assignment_id}/?step=1",
            "patient",
        ),
        ("staff: patients list", "/patients/", "staff"),
        ("staff: patients search", "/patients/?q=garcia", "staff"),
        ("staff: patient page", f"/patients/{data.patient_id}/", "staff"),
        ("staff: program page (a year of logs)", f"/programs/{data.program_id}/", "staff"),
        ("staff: handout", f"/programs/{data.program_id}/handout/", "staff"),
        (
            "staff: PDF handout (6 exercises)",
            f"/programs/{data.handout_program_id}/handout.pdf",
            "staff",
        ),
        ("staff: catalog list", "/catalog/", "staff"),
        ("staff: catalog exercise", f"/catalog/exercises/{data.exercise_id}/", "staff"),
        ("staff: templates", "/programs/templates/", "staff"),
        ("staff: dashboard", "/dashboard/", "staff"),
        ("staff: dashboard, whole clinic", "/dashboard/?scope=all", "staff"),
        ("staff: /api/v1/dashboard/", "/api/v1/dashboard/", "staff_token"),
        ("admin: audit trail", "/clinic/audit/", "admin"),
        ("staff: /api/v1/patients/", "/api/v1/patients/", "staff_token"),
        (
            "staff: /api/v1/programs/<id>/logs/",
            f"/api/v1/programs/{data.program_id}/logs/",
            "staff_token",
        ),
    ]


def wrk(port, path, headers, args) -> dict:
    command = [
        "wrk",
        "-t2",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
    ]
    for name, value in {**PROXY_HEADERS, **headers}.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://{HOST}:{port}{path}")
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    line = next(x for x in output.splitlines() if x.startswith("BENCH_RESULT "))
    raw = json.loads(line.removeprefix("BENCH_RESULT "))
    seconds = raw["duration_us"] / 1e6
    return {
        "requests": raw["requests"],
        "req_per_s": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p90_ms": round(raw["p90_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "max_ms": round(raw["max_us"] / 1000, 1),
        # No answer at all in the whole run (a stalled server) counts as an error too.
        "errors": raw["non_2xx"]
        + raw["socket_errors"]
        + raw["timeouts"]
        + (0 if raw["requests"] else 1),
    }


def drain(port):
    """Wait until the requests wrk left queued are served: a request joins the back of the
    listen queue, so its answer means the backlog ahead of it is gone. Then the next
    measurement starts on an idle server instead of paying for the previous page."""
    for _ in range(2):
        request(port, "GET", "/healthz")


def ensure_wrk():
    if shutil.which("wrk"):
        return
    print("wrk is missing: installing Debian's package")
    apt = ["apt-get", "-qq"]
    if os.geteuid() != 0:
        apt = ["sudo", *apt]
    subprocess.run([*apt, "update"], check=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [*apt, "install", "-y", "wrk"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )


def print_table(rows, healthz):
    print()
    print(f"/healthz: {healthz:.0f} req/s on average (ratios: to the runs around each page)")
    print(f"{'page':<40} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6} {'errors':>6}")
    for row in rows:
        print(
            f"{row['page']:<40} {row['req_per_s']:>8.1f} {row['p50_ms']:>8.1f} "
            f"{row['p99_ms']:>8.1f} {row['ratio']:>6.2f} {row['errors']:>6}"
        )


def _exit_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)  # runs the `finally` that stops gunicorn


def main(argv=None):
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    args = parse_args(argv)
    ensure_wrk()
    ensure_database(args.database_url)
    data = prepare_dataset(args)
    from bench.dataset import ADMIN_EMAIL, PASSWORD, PATIENT_EMAIL, THERAPIST_EMAIL, admin_code

    server = Server(args, production_env(args))
    try:
        auth = {
            "patient": {"Cookie": sign_in(server.port, PATIENT_EMAIL, PASSWORD)},
            "staff": {"Cookie": sign_in(server.port, THERAPIST_EMAIL, PASSWORD)},
            "admin": {"Cookie": sign_in(server.port, ADMIN_EMAIL, PASSWORD, admin_code())},
            "patient_token": {"Authorization": f"Token {data.patient_token}"},
            "staff_token": {"Authorization": f"Token {data.token}"},
        }
        selected = [p for p in pages(data) if not args.only or args.only in p[0]]
        for name, path, who in selected:  # each must answer 200 (wrk counts only >= 400)
            for _ in range(2):  # and warms the workers' caches and connections
                status = request(server.port, "GET", path, headers=auth[who])[0]
            if status != 200:
                raise RuntimeError(f"{name} ({path}) answered {status}, not 200")
        print(f"All {len(selected)} pages answer 200; {args.duration} s of load each.")
        # /healthz is loaded before every page and once at the end; each page's ratio is to
        # the mean of the two runs around it, so a machine whose load drifts during the
        # bench (other work on it) still gives comparable ratios.
        short = argparse.Namespace(**{**vars(args), "duration": max(2, args.duration // 3)})
        healthz_runs = [wrk(server.port, "/healthz", {}, short)]
        rows = []
        for name, path, who in selected:
            drain(server.port)
            result = wrk(server.port, path, auth[who], args)
            drain(server.port)
            healthz_runs.append(wrk(server.port, "/healthz", {}, short))
            around = (healthz_runs[-2]["req_per_s"] + healthz_runs[-1]["req_per_s"]) / 2
            ratio = round(result["req_per_s"] / around, 3) if around else 0.0
            rows.append({"page": name, "path": path, **result, "healthz": around, "ratio": ratio})
            print(
                f"  {name:<40} {result['req_per_s']:>8.1f} req/s  p99 {result['p99_ms']} ms  "
                f"ratio {ratio:.2f}"
            )
    finally:
        server.stop()
    healthz = sum(run["req_per_s"] for run in healthz_runs) / len(healthz_runs)
    print_table(rows, healthz)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    report = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "commit": commit,
        "dataset": data.as_dict() | {"token": "(hidden)", "patient_token": "(hidden)"},
        "connections": args.connections,
        "duration_s": args.duration,
        "workers": args.workers,
        "healthz": {"runs": healthz_runs, "req_per_s": round(healthz, 1)},
        "pages": rows,
    }
    Path(args.output).write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nResults written to {args.output}")
    failed = [row["page"] for row in rows if row["errors"]]
    if failed:
        print(f"Pages with errors or timeouts: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
