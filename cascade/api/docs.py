"""The Swagger UI page, served from drf-spectacular-sidecar (no CDN) under its own CSP.

Swagger UI sets inline styles on its elements: the page allows them, and nothing else beyond the site's policy.
"""

from csp.decorators import csp_update


def swagger_csp(view):
    return csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["data:"]})(view)
