from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

ACCEPTED = (".xlsx", ".xlsm", ".xls", ".ods", ".zip", ".csv")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook"),
        help_text=_("An .xlsx, .xls or .ods workbook, a .csv file named like its sheet, or a .zip of .csv files "
                    "named like the sheets."),
    )
    include_hidden = forms.BooleanField(
        label=_("Include hidden rows and sheets"), required=False,
        help_text=_("Rows and sheets hidden in the spreadsheet are left out unless this is ticked; "
                    "the check lists them either way."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in ACCEPTED:
            raise forms.ValidationError(_("Upload an .xlsx, .xls or .ods workbook, a .csv file or a .zip of .csv files."))
        return upload
