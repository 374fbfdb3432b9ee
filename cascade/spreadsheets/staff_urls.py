from django.urls import path

from cascade.spreadsheets import staff

app_name = "imports"
urlpatterns = [
    path("", staff.upload, name="upload"),
    path("confirm/", staff.confirm, name="confirm"),
    path("template/", staff.template, name="template"),
    path("format/", staff.format_page, name="format"),
]
