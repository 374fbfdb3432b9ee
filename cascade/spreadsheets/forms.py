from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

ACCEPTED = (".xlsx", ".zip", ".csv")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook"),
        help_text=_("An .xlsx workbook, or a .zip of .csv files named like the sheets."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in ACCEPTED:
            raise forms.ValidationError(_("Upload an .xlsx workbook or a .zip of .csv files."))
        return upload
