"""One answer to "who is the client?" for the public form's rate limit and the sign-in lockout."""

from cascade.lib.clients import client_address


def test_behind_the_proxy_the_proxys_own_entry_names_the_client(rf, settings):
    settings.BEHIND_PROXY = True
    request = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_address(request) == "203.0.113.7", "the proxy's entry, not one the client wrote"


def test_without_a_proxy_the_header_is_anyones_to_forge(rf, settings):
    settings.BEHIND_PROXY = False
    request = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_address(request) == "10.0.0.1"


def test_django_axes_asks_the_same_function(rf, settings):
    from axes.helpers import get_client_ip_address

    settings.BEHIND_PROXY = True
    request = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert get_client_ip_address(request) == "203.0.113.7"
