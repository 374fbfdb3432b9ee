from django.urls import path

from cascade.selection import views

app_name = "selection"
urlpatterns = [
    # Public: the form at a shareable link, the confirmation of a place, the certificate check.
    path("apply/<slug:slug>/", views.apply, name="apply"),
    path("apply/<slug:slug>/<str:token>/", views.apply, name="apply-draft"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify, name="verify-code"),
    # Staff.
    path("", views.call_list, name="call-list"),
    path("new/", views.call_create, name="call-create"),
    path("<int:pk>/", views.call_detail, name="call-detail"),
    path("<int:pk>/edit/", views.call_edit, name="call-edit"),
    path("<int:pk>/questions/", views.question_add, name="question-add"),
    path("<int:pk>/criteria/", views.criterion_add, name="criterion-add"),
    path("<int:pk>/quotas/", views.quota_add, name="quota-add"),
    path("<int:pk>/<str:part>/<int:part_pk>/delete/", views.part_delete, name="part-delete"),
    path("<int:pk>/publish/", views.call_status, {"action": "publish"}, name="call-publish"),
    path("<int:pk>/close/", views.call_status, {"action": "close"}, name="call-close"),
    path("<int:pk>/reopen/", views.call_status, {"action": "reopen"}, name="call-reopen"),
    path("<int:pk>/reviewers/", views.reviewers, name="reviewers"),
    path("<int:pk>/applications/", views.application_list, name="application-list"),
    path("<int:pk>/applications/<int:app_pk>/", views.application_detail, name="application-detail"),
    path("<int:pk>/applications/<int:app_pk>/files/<int:file_pk>/", views.application_file, name="application-file"),
    path("<int:pk>/applications/<int:app_pk>/override/", views.application_override, name="application-override"),
    path("<int:pk>/applications/<int:app_pk>/decide/", views.application_decide, name="application-decide"),
    path("<int:pk>/review/", views.review_list, name="review-list"),
    path("<int:pk>/review/<int:app_pk>/", views.review, name="review"),
    path("<int:pk>/ranking/", views.ranking, name="ranking"),
    path("<int:pk>/decisions/send/", views.decisions_send, name="decisions-send"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/certificates/", views.certificates_issue, name="certificates-issue"),
    path("<int:pk>/certificates/<str:code>.pdf", views.certificate_pdf, name="certificate-pdf"),
]
