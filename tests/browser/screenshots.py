"""Screenshots of the main pages, desktop and phone, for docs/screenshots/ and the README.

Run from the repository root:  .venv/bin/python -m tests.browser.screenshots
It starts `cascade demo` on a throw-away database, signs in with the printed
demo login and photographs each page with Debian's Chromium.
"""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.conftest import ARGS, CHROMIUM

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
ADDRESS = "127.0.0.1:8765"
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 360, "height": 740}

# (file name, path, language, viewport, full page)
SHOTS = [
    ("dashboard-desktop", "/", "en", DESKTOP, True),
    ("dashboard-phone", "/", "ru", PHONE, False),
    ("trainings-desktop", "/trainings/", "en", DESKTOP, False),
    ("training-desktop", "{training}", "en", DESKTOP, True),
    ("training-form-desktop", "/trainings/new/", "en", DESKTOP, False),
    ("person-desktop", "{person}", "en", DESKTOP, False),
    ("partners-desktop", "/partners/", "en", DESKTOP, False),
    ("library-desktop", "/library/", "en", DESKTOP, False),
    ("report-step-1-phone", "/report/when/", "ru", PHONE, False),
    ("report-step-4-phone", "/report/people/", "kk", PHONE, False),
    ("dashboard-arabic-desktop", "/", "ar", DESKTOP, False),
    ("search-phone", "/search/?q=sh", "ky", PHONE, False),
]


def wait_for(url: str, seconds: int = 60) -> None:
    for _ in range(seconds * 2):
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"The demo server did not answer at {url}.")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="cascade-shots-"))
    env = {**os.environ, "CASCADE_DATA_DIR": str(data), "CASCADE_DEMO": "1", "DATABASE_URL": ""}
    env.pop("DATABASE_URL")
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "cascade"), "demo", "--addrport", ADDRESS],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://{ADDRESS}"
        wait_for(f"{url}/accounts/login/")
        login = dict(line.split(":", 1) for line in (data / "demo-login.txt").read_text().splitlines())
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for name, path, language, viewport, full in SHOTS:
                context = browser.new_context(viewport=viewport, device_scale_factor=1)
                page = context.new_page()
                page.goto(f"{url}/accounts/login/")
                page.fill("#id_username", login["username"].strip())
                page.fill("#id_password", login["password"].strip())
                page.click("button[type=submit]")
                page.wait_for_load_state()
                if page.input_value("#language-select") != language:  # the language is remembered per user
                    with page.expect_navigation():
                        page.select_option("#language-select", language)
                if path == "{training}":
                    page.goto(f"{url}/trainings/?kind=institute")
                    page.click("main table a")
                elif path == "{person}":
                    page.goto(f"{url}/people/?figure=trainers")
                    page.click("main table a")
                else:
                    page.goto(f"{url}{path}")
                page.screenshot(path=str(OUT / f"{name}.png"), full_page=full)
                print("wrote", OUT / f"{name}.png")
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
