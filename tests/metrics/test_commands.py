"""``cascade stats`` and ``cascade ordinal``."""

import json

import pytest
from django.core.management import CommandError, call_command

ISSUE_KEYS = {
    "institutes", "step_downs", "unlinked_step_downs", "people_trained_at_institutes", "trainer_utilisation",
    "median_days_to_first_step_down", "total_reach", "generations", "unlinked",
}


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def small_network(institute, step_down, create_person):
    aigul, bota = create_person(), create_person()
    institute(start=0, end=2, participants=[aigul, bota], key="inst")
    step_down(start=10, facilitators=[aigul], women_count=20, men_count=2, key="sd")


def test_stats_json_prints_the_issues_keys_with_their_figures(small_network):
    figures = json.loads(run("stats", "--json"))
    assert ISSUE_KEYS <= figures.keys()
    assert (figures["institutes"], figures["step_downs"], figures["people_trained_at_institutes"]) == (1, 1, 2)
    assert figures["trainer_utilisation"] == 0.5
    assert figures["median_days_to_first_step_down"] == 8
    assert figures["generations"][1] == {"generation": 2, "trainings": 1, "people": 0, "headcount": 22,
                                         "reach": 22, "mean_fidelity": None}
    assert set(figures["unlinked"]) == {"trainings", "people", "headcount", "reach"}
    assert figures["institutes_by_region"] == [{"region": "143", "name": "Central Asia", "institutes": 1}]


def test_stats_filters_and_echoes_them(small_network):
    figures = json.loads(run("stats", "--json", "--country", "ge", "--since", "2018-01-01"))
    assert (figures["institutes"], figures["step_downs"]) == (0, 0)
    assert figures["filters"] == {"country": "GE", "since": "2018-01-01"}


def test_stats_for_a_partner_counts_the_step_downs_its_institute_grew(small_network, create_organization):
    from cascade.trainings.models import Training

    swrc = create_organization(key="swrc")
    Training.objects.get(key="inst").co_organisers.add(swrc)
    figures = json.loads(run("stats", "--json", "--partner", "swrc"))
    assert (figures["institutes"], figures["step_downs"], figures["total_reach"]) == (1, 1, 24)
    assert figures["filters"] == {"partner": "swrc"}


def test_stats_without_json_prints_a_readable_summary(small_network):
    assert "Total reach: 24" in run("stats")


@pytest.mark.parametrize("args, message", [
    (["--region", "999"], "region: “999”"),
    (["--country", "XX"], "country: “XX”"),
    (["--partner", "nobody"], "partner: no organisation has the key “nobody”"),
    (["--manual", "none"], "manual: no manual has the key “none”"),
    (["--since", "10/01/2019"], "since: “10/01/2019” is not a date"),
    (["--since", "2019-02-01", "--until", "2019-01-01"], "until: 2019-01-01 is before since"),
])
def test_stats_names_a_bad_filter(db, args, message):
    with pytest.raises(CommandError, match=message):
        run("stats", "--json", *args)


def test_ordinal_prints_the_place_region_and_first_year(small_network, institute):
    institute(start=400, key="later")
    assert run("ordinal", "later").strip() == "Institute 2 of 2 in Central Asia since 2019"
    assert json.loads(run("ordinal", "inst", "--json"))["ordinal"] == 1


def test_ordinal_refuses_a_step_down_and_an_unknown_key(small_network):
    with pytest.raises(CommandError, match="only institutes are numbered"):
        run("ordinal", "sd")
    with pytest.raises(CommandError, match="No training has the key “nope”"):
        run("ordinal", "nope")


@pytest.mark.parametrize("by", ["year", "gender", "country", "partner", "generation"])
def test_stats_by_prints_rows_with_the_issues_keys(small_network, institute, create_organization, by):
    institute(start=30, key="hosted", host=create_organization(key="swrc"))
    result = json.loads(run("stats", "--json", "--by", by))
    assert result["by"] == by and result["rows"]
    assert set(result["rows"][0]) == {"value", "institutes", "step_downs", "women", "men", "other", "reach"}


def test_stats_by_year_matches_the_engine_and_adds_up(small_network):
    result = json.loads(run("stats", "--json", "--by", "year", "--country", "KZ"))
    assert result["rows"] == [{"value": 2019, "institutes": 1, "step_downs": 1, "women": 22, "men": 2,
                               "other": 0, "reach": 24}]
    assert result["total"]["reach"] == 24 and result["filters"] == {"country": "KZ"}


def test_stats_by_without_json_prints_a_table_with_its_total(small_network):
    text = run("stats", "--by", "generation")
    assert "Generation" in text and "total" in text.splitlines()[-1]


def test_a_bad_filter_ends_cascade_stats_with_status_2_and_names_it(tmp_path):
    """As an operator runs it: a fresh process, with a data folder of its own."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    secrets = ("SECRET_KEY", "CASCADE_FERNET_KEYS", "CASCADE_LOOKUP_KEY", "CASCADE_PSEUDONYM_KEY", "DATABASE_URL")
    env = {**{k: v for k, v in os.environ.items() if k not in secrets},
           "CASCADE_DATA_DIR": str(tmp_path), "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run([sys.executable, "-m", "cascade", "stats", "--json", "--since", "2019-13-01"],
                          capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert done.returncode == 2
    assert "since: “2019-13-01” is not a date as YYYY-MM-DD" in done.stderr and not done.stdout
