"""``collectstatic`` compresses what changed, and nothing when asked not to."""

import os

import pytest
from django.core.management import call_command


@pytest.fixture
def collect(settings, tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    (source / "site.js").write_text("console.log('a long enough line to be worth compressing');\n" * 50)
    settings.STATICFILES_DIRS = [source]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = tmp_path / "static"

    def run():
        call_command("collectstatic", interactive=False, verbosity=0)
        return {path.name: path.stat().st_mtime_ns for path in settings.STATIC_ROOT.iterdir()
                if path.name.endswith((".gz", ".br"))}

    run.source = source
    return run


def test_a_second_collection_compresses_nothing_that_did_not_change(collect):
    first = collect()
    assert "site.js.gz" in first and any(name.startswith("site.") and name != "site.js.gz" for name in first)
    assert collect() == first


def test_a_changed_file_is_compressed_again_under_both_names(collect):
    first = collect()
    (collect.source / "site.js").write_text("console.log('another long enough line');\n" * 60)
    future = os.stat(collect.source / "site.js").st_mtime + 5
    os.utime(collect.source / "site.js", (future, future))
    second = collect()
    assert second["site.js.gz"] > first["site.js.gz"]
    assert set(second) - set(first), "the new hashed name has compressed copies of its own"


def test_without_compression_no_compressed_copy_is_written(collect, settings):
    settings.STATIC_COMPRESS = False
    assert collect() == {}
    assert (settings.STATIC_ROOT / "site.js").exists()
