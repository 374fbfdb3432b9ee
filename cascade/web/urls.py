from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("trainings/", views.training_list, name="trainings"),
    path("trainings/new/", views.training_edit, name="training_new"),
    path("trainings/people-search/", views.people_search, name="people_search"),
    path("places/", views.place_names, name="place_names"),
    path("trainings/<int:pk>/", views.training_detail, name="training"),
    path("trainings/<int:pk>/edit/", views.training_edit, name="training_edit"),
    path("trainings/<int:pk>/photos/new/", views.photo_upload, name="photo_upload"),
    path("photos/<int:pk>/", views.photo_file, name="photo"),
    path("photos/<int:pk>/thumbnail/", views.photo_file, {"size": "thumb"}, name="photo_thumb"),
    path("people/", views.person_list, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("partners/", views.partner_list, name="partners"),
    path("partners/<int:pk>/", views.partner_detail, name="partner"),
    path("countries/<str:code>/", views.country_detail, name="country"),
    path("library/", views.library, name="library"),
    path("library/editions/<int:pk>/download/", views.edition_download, name="edition_download"),
    path("library/<str:key>/", views.manual_detail, name="manual"),
    path("search/", views.search, name="search"),
    path("help/", views.help_page, name="help"),
    path("language/", views.set_language, name="set_language"),
    path("report/", views.report, name="report"),
    path("report/review/", views.report_review, name="report_review"),
    path("report/saved/<int:pk>/", views.report_saved, name="report_saved"),
    path("report/<str:step>/", views.report, name="report_step"),
    path("report/<str:step>/check/", views.report_check, name="report_check"),
]
