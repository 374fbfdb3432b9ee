"""Static files with hashed, compressed names once collected; plain names until then.

WhiteNoise's manifest storage makes ``cascade collectstatic`` write ``cascade.3f2a9c.css``
(and its ``.gz`` and ``.br``) next to ``cascade.css``, so a browser may keep each asset
for a year: a new release has new names. A page asks the manifest for those names.

Before any collectstatic (the test suite, a fresh checkout, ``DEBUG``) there is no
manifest: the plain names are given and Django's finders or WhiteNoise serve them,
instead of every page failing with "Missing staticfiles manifest entry". A file the
manifest does not know (one added since the last collectstatic) keeps its plain name too.
"""

import os

from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFiles(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def stored_name(self, name):
        if not self.hashed_files:
            return name
        try:
            return super().stored_name(name)
        except ValueError:  # not in the manifest, and not collected either
            return name

    def compress_files(self, paths):
        """The compressed copies get the same permissions as every other collected file.

        WhiteNoise writes them with ``open()``, so under Cascade's umask (077) they would be
        the only static files a reverse proxy running as another user cannot read.
        """
        for name, compressed_name in super().compress_files(paths):
            if self.file_permissions_mode is not None:
                os.chmod(self.path(compressed_name), self.file_permissions_mode)
            yield name, compressed_name


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, with hashed files kept by browsers for a year (the customary far future), not ten."""

    FOREVER = 365 * 24 * 60 * 60
