from django.urls import path, re_path

from cascade.stories import views

app_name = "stories"
urlpatterns = [
    re_path(r"^indicators/(?P<country>[A-Za-z]{2})\.svg$", views.indicator_chart, name="indicator-chart"),
    path("report.<str:fmt>", views.donor_report, name="report"),
    path("<slug:key>/<str:lang>/", views.edit, name="edit"),
    path("<slug:key>/<str:lang>/export.<str:fmt>", views.export, name="export"),
]
