from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(label=_("What the token is for"), max_length=100, required=False,
                           help_text=_("For example: the M&E dashboard."))
    read_only = forms.BooleanField(label=_("Read only"), required=False, initial=True,
                                   help_text=_("A read-only token reads figures and records; it cannot report "
                                               "step-downs or import workbooks."))
    days = forms.IntegerField(label=_("Days until it expires"), min_value=1, max_value=730, initial=90)
