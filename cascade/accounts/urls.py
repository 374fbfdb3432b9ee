from django.urls import path

from . import users, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/manage/", views.two_factor_manage, name="two_factor_manage"),
    # Users and invitations (network admins; partner admins for their partner)
    path("users/", users.users, name="users"),
    path("users/invite/", users.invite, name="invite"),
    path("users/<int:pk>/", users.account, name="user"),
    path("users/<int:pk>/active/", users.set_active, name="user-active"),
    path("invitations/<int:pk>/", users.invitation, name="invitation"),
    path("invitations/<int:pk>/resend/", users.resend, name="invitation-resend"),
    path("invitations/<int:pk>/revoke/", users.revoke, name="invitation-revoke"),
    # The invitee's link (no account yet)
    path("invitation/<str:token>/", users.accept, name="accept"),
]
