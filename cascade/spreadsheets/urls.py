from django.urls import path

from cascade.spreadsheets import views

app_name = "spreadsheets"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("confirm/", views.confirm, name="confirm"),
]
