from django.urls import path

from cascade.metrics import views

app_name = "metrics"
urlpatterns = [
    path("", views.figures, name="figures"),
    path("training/<str:key>/", views.training_tree, name="training-tree"),
    path("person/<str:key>/", views.person_tree, name="person-tree"),
    path("<slug:figure>/", views.drilldown, name="drilldown"),
]
