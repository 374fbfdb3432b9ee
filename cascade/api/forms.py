from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(label=_("What the token is for"), max_length=100, required=False,
                           help_text=_("For example: the M&E dashboard."))
    scope = forms.ChoiceField(label=_("The token may"), choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ,
                              widget=forms.RadioSelect,
                              help_text=_("Figures only: the figures, with small counts hidden, and nothing else. "
                                          "Read: whatever you may read. Read and write: also report step-downs "
                                          "and import workbooks."))
    days = forms.IntegerField(label=_("Days until it expires"), min_value=1, max_value=730, initial=90)
