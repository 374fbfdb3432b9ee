from axes.backends import AxesStandaloneBackend


class ThrottledSignInBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for sign-ins over the web.

    Code that authenticates without a request (the shell, a command, the test
    client's ``login``) faces no remote attacker, so there is nothing to throttle.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
