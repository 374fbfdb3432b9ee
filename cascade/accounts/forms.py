from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app (or a backup code)"), max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def __init__(self, *args, verify=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.verify = verify
        self.device = None

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        self.device = self.verify(token)
        if self.device is None:
            raise forms.ValidationError(_("This code is not right or has expired. Codes change every 30 seconds."))
        return token


class PasswordForm(forms.Form):
    """The password typed again before a change to the second factor."""

    password = forms.CharField(
        label=_("Your password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password
