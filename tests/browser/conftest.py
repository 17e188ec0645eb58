"""Real-browser tests: Playwright for Python driving Debian's Chromium (/usr/bin/chromium).

Playwright cannot download its own browser here, so the launch fixture points it at the
system Chromium. Without /usr/bin/chromium the tests skip with a clear reason, unless
REQUIRE_BROWSER=1 (set by .ci/run), which turns that into a failure.
Screenshots go to test-artifacts/ (gitignored).
"""

import os
from pathlib import Path

import pytest
from django.db import connections

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# ORM calls from it. Required with live_server.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 375, "height": 740}
MISSING = (
    f"browser tests skipped: no Chromium at {CHROMIUM} "
    "(apt-get install chromium chromium-driver; REQUIRE_BROWSER=1 makes this a failure)"
)


def browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER") == "1"


@pytest.fixture(scope="session", autouse=True)
def chromium_present():
    """Runs before Playwright launches anything (session scope, autouse)."""
    if CHROMIUM.exists():
        return
    if browser_required():
        pytest.fail(f"REQUIRE_BROWSER=1 but there is no Chromium at {CHROMIUM}", pytrace=False)
    pytest.skip(MISSING)


def pytest_terminal_summary(terminalreporter):
    if not CHROMIUM.exists() and not browser_required():
        terminalreporter.write_line(f"NOTE: {MISSING}", yellow=True, bold=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def phone(browser):
    """A new phone-sized browser window (own cookies), closed after the test."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def desk(browser):
    """A desktop-sized window for the therapist (own cookies)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def playwright(playwright):
    """Playwright's sync API runs its own greenlet, and Django keeps database connections per
    context, so code under Playwright opens connections of its own. Close them when Playwright
    stops, or PostgreSQL refuses to drop the test database at the end of the run."""
    yield playwright
    connections.close_all()
