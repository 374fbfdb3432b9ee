"""Static files with hashed, compressed names once collected; plain names until then.

WhiteNoise's manifest storage makes ``cascade collectstatic`` write ``cascade.3f2a9c.css``
(and its ``.gz`` and ``.br``) next to ``cascade.css``, so a browser may keep each asset
for a year: a new release has new names. A page asks the manifest for those names.

Before any collectstatic (the test suite, a fresh checkout, ``DEBUG``) there is no
manifest: the plain names are given and Django's finders or WhiteNoise serve them,
instead of every page failing with "Missing staticfiles manifest entry". A file the
manifest does not know (one added since the last collectstatic) keeps its plain name too.

Compressing (gzip and brotli at their best ratio) is the slow part of ``collectstatic``:
about half a minute for the ~700 files on two cores. ``cascade serve`` collects at every
start, so a file whose compressed copies already hold its bytes is not compressed again
(reading them back takes milliseconds). ``cascade demo`` serves on
the loopback only and collects without compressing (``STATIC_COMPRESS = False``).
"""

import gzip
import os

from django.conf import settings
from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.storage import CompressedManifestStaticFilesStorage

try:  # WhiteNoise writes brotli copies when the module is installed
    import brotli
except ImportError:  # pragma: no cover - brotli is a dependency of whitenoise[brotli]
    brotli = None


class HashedStaticFiles(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def stored_name(self, name):
        if not self.hashed_files:
            return name
        try:
            return super().stored_name(name)
        except ValueError:  # not in the manifest, and not collected either
            return name

    def post_process_with_compression(self, files):
        if getattr(settings, "STATIC_COMPRESS", True):
            yield from super().post_process_with_compression(files)
        else:
            yield from files

    def _compressed_is_current(self, name) -> bool:
        """Its gzip copy (and brotli copy, if any) holds exactly the file's bytes."""
        path = self.path(name)
        try:
            content = open(path, "rb").read()
            with gzip.open(path + ".gz") as copy:
                if copy.read() != content:
                    return False
            if brotli is not None and os.path.exists(path + ".br"):
                with open(path + ".br", "rb") as copy:
                    return brotli.decompress(copy.read()) == content
        except (OSError, EOFError, gzip.BadGzipFile, getattr(brotli, "error", OSError)):
            return False
        return True

    def compress_files(self, paths):
        """Compress what changed; the copies get the same permissions as every other collected file.

        WhiteNoise writes them with ``open()``, so under Cascade's umask (077) they would be
        the only static files a reverse proxy running as another user cannot read.
        """
        paths = [name for name in paths if not self._compressed_is_current(name)]
        for name, compressed_name in super().compress_files(paths):
            if self.file_permissions_mode is not None:
                os.chmod(self.path(compressed_name), self.file_permissions_mode)
            yield name, compressed_name


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, with hashed files kept by browsers for a year (the customary far future), not ten."""

    FOREVER = 365 * 24 * 60 * 60
