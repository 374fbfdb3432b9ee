from django.urls import path

from cascade.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/progress/", views.progress, name="progress"),
    path("<uuid:pk>/result/", views.result, name="result"),
]
