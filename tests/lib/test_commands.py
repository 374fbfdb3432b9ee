"""Every `cascade` command of our own answers --help, in English and in Russian."""

import pytest
from django.core.management import get_commands
from django.utils import translation

from cascade.cli import main

OURS = sorted(name for name, app in get_commands().items() if app.startswith("cascade."))


def test_the_project_has_its_own_commands():
    assert {"demo", "stats", "import", "export", "story", "report", "backup"} <= set(OURS)


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("name", OURS)
def test_help_prints_the_commands_description(name, language, capsys):
    with translation.override(language), pytest.raises(SystemExit) as exit:
        main([name, "--help"])
    assert exit.value.code == 0
    assert f"usage: cascade {name}" in capsys.readouterr().out
