from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/manage/", views.two_factor_manage, name="two_factor_manage"),
]
