"""The load test's Locust file (benchmarks/load.py) stays in step with the product.

The load itself is a benchmark (benchmarks/run_load.py, results in docs/benchmarks.md),
not a test. These only check that its users exist and that every address it asks for
is still a page of Cascade, so a renamed URL breaks here and not in the lead's run.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
LOCUSTFILE = BENCHMARKS / "load.py"


def test_the_locust_file_imports_and_its_users_have_tasks():
    # In a process of its own: Locust patches the standard library (gevent) when imported.
    script = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import load; "
        "print(json.dumps({'pages': list(load.PAGES), 'users': {c.__name__: len(set(c.tasks)) "
        "for c in (load.StaffUser, load.TrainerUser, load.DonorUser)}}))"
    )
    done = subprocess.run([sys.executable, "-c", script, str(BENCHMARKS)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["users"] == {"StaffUser": 8, "TrainerUser": 1, "DonorUser": 4}
    assert "dashboard" in found["pages"] and "report: save" in found["pages"] and "donor report pdf" in found["pages"]


def test_every_address_the_load_asks_for_is_a_page_of_cascade():
    text = LOCUSTFILE.read_text()
    paths = set(re.findall(r'f?"(/(?:[a-z\-]+/|\{[^}]+\}/|report\.\{fmt\})*(?:report\.\{fmt\})?)', text))
    paths = {path for path in paths if path != "/"} | {"/"}
    assert {"/", "/trainings/", "/people/", "/report/", "/report/review/", "/accounts/login/"} <= paths
    for path in sorted(paths):
        concrete = path.replace("{fmt}", "pdf").replace("{step}", "when")
        concrete = re.sub(r"\{[^}]+\}", "1", concrete)
        try:
            resolve(concrete)
        except Resolver404:
            pytest.fail(f"benchmarks/load.py asks for {path}, which is no page of Cascade")
