from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views
from .docs import swagger_csp

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", swagger_csp(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    path("figures", views.Figures.as_view(), name="figures"),
    path("figures/breakdown", views.Breakdown.as_view(), name="breakdown"),
    path("trainings", views.Trainings.as_view(), name="trainings"),
    path("trainings/<str:key>", views.TrainingDetail.as_view(), name="training"),
    path("trainings/<str:key>/tree", views.TrainingTree.as_view(), name="training-tree"),
    path("people", views.People.as_view(), name="people"),
    path("manuals", views.Manuals.as_view(), name="manuals"),
    path("step-downs", views.StepDowns.as_view(), name="step-downs"),
    path("imports", views.Imports.as_view(), name="imports"),
    path("jobs/<uuid:pk>", views.JobDetail.as_view(), name="job"),
]
