"""``cascade demo``: migrate, load once, keep one login, and serve."""

import io
import re
import stat

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from auditlog.models import LogEntry

from cascade.audit.models import AuditEntry
from cascade.demo.management.commands import demo as demo_command
from cascade.network.models import Person
from cascade.trainings.models import Training


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return tmp_path


def run(*args) -> str:
    out = io.StringIO()
    call_command("demo", "--no-serve", *args, stdout=out)
    return out.getvalue()


def printed_password(output: str) -> str:
    return re.search(r"password: (\S+)", output).group(1)


@pytest.mark.django_db
def test_demo_without_serving_loads_the_network_and_prints_a_working_login(data_dir):
    output = run()
    assert Training.objects.filter(kind="institute").count() == 16
    assert "address:  http://127.0.0.1:8000/\n" in output and "http://127.0.0.1:8000/admin/" in output
    assert "username: demo" in output
    password = printed_password(output)
    user = authenticate(username="demo", password=password)
    assert user is not None and user.is_staff
    saved = data_dir / "demo-login.txt"
    assert password in saved.read_text()
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert (data_dir / "static" / "admin" / "css" / "base.css").exists()


@pytest.mark.django_db
def test_a_second_run_loads_nothing_new_and_prints_the_same_password():
    first = run()
    counts = (Training.objects.count(), Person.objects.count(), get_user_model().objects.count())
    second = run()
    assert (Training.objects.count(), Person.objects.count(), get_user_model().objects.count()) == counts
    assert "not loaded" in second
    assert printed_password(second) == printed_password(first)


@pytest.mark.django_db
def test_the_saved_password_still_works_after_the_account_was_deleted_or_changed():
    password = printed_password(run())
    get_user_model().objects.filter(username="demo").delete()
    assert printed_password(run()) == password
    user = get_user_model().objects.get(username="demo")
    user.set_password("something else")
    user.save()
    run()
    assert authenticate(username="demo", password=password) is not None


@pytest.mark.django_db
def test_it_does_not_load_the_demo_beside_existing_trainings(create_training):
    create_training(key="real-training")
    output = run()
    assert list(Training.objects.values_list("key", flat=True)) == ["real-training"]
    assert "not loaded" in output
    assert not get_user_model().objects.filter(username="demo").exists(), "a real database gets no demo login"
    assert "password" not in output


@pytest.mark.django_db
def test_reset_without_input_wipes_and_loads_the_same_network_again(create_training):
    create_training(key="real-training")
    before = AuditEntry.objects.filter(action="cascade.demo.wiped").values_list("pk", flat=True)
    before = set(before)  # a session-wide demo fixture of another module may have wiped once already
    run("--reset", "--noinput")
    assert not Training.objects.filter(key="real-training").exists()
    assert Training.objects.filter(key="shymkent-2019").exists()
    wiped = AuditEntry.objects.exclude(pk__in=before).get(action="cascade.demo.wiped")
    assert wiped.details["trainings.training"] == 1
    assert not LogEntry.objects.filter(action=LogEntry.Action.DELETE).exists(), "no history row keeps a name"


@pytest.mark.django_db
def test_reset_deletes_nothing_unless_confirmed(create_training, monkeypatch):
    create_training(key="real-training")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(Exception, match="Nothing was deleted"):
        run("--reset")
    assert Training.objects.filter(key="real-training").exists()


@pytest.mark.django_db
def test_serving_runs_the_development_server_in_demo_mode_with_static_files(monkeypatch, settings, client):
    """Serving itself blocks, so the call to runserver is recorded instead of made."""
    calls = []
    real = demo_command.call_command

    def record_runserver(name, *args, **kwargs):
        if name == "runserver":
            calls.append((args, kwargs, settings.DEMO_MODE))
        else:
            real(name, *args, **kwargs)

    settings.DEMO_MODE = False
    monkeypatch.setattr(demo_command, "call_command", record_runserver)
    out = io.StringIO()
    call_command("demo", "--addrport", "127.0.0.1:8123", stdout=out)
    assert calls == [(("127.0.0.1:8123", "--insecure"), {"use_reloader": False}, True)]
    assert "http://127.0.0.1:8123/admin/" in out.getvalue()
    client.force_login(get_user_model().objects.get(username="demo"))
    assert client.get("/admin/").status_code == 200, "no authenticator app is needed to look at the demo"
