from django.urls import path

from consult import views

urlpatterns = [
    path("", views.consultation_list_view, name="consultation-list"),
    path("c/<slug:slug>/", views.consultation_detail_view, name="consultation-detail"),
    path("account/profile/", views.participant_profile_view, name="participant-profile"),
]
