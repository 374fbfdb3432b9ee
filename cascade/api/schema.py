"""How the OpenAPI schema describes the token (imported by the app's ready())."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "cascade.api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "cas_…",
                "description": "An API token: `cascade api-token create USERNAME` or the Tokens page (docs/api.md)."}
