from django.urls import path

from consult import views

urlpatterns = [
    path("", views.consultation_list_view, name="consultation-list"),
    path("c/<slug:slug>/", views.consultation_detail_view, name="consultation-detail"),
    path(
        "c/<slug:slug>/<slug:document_slug>/compare/v<int:old_number>-v<int:new_number>/",
        views.comparison_view,
        name="comparison",
    ),
    path(
        "c/<slug:slug>/<slug:document_slug>/compare/v<int:old_number>-v<int:new_number>/request/",
        views.comparison_request_view,
        name="comparison-request",
    ),
    path("account/profile/", views.participant_profile_view, name="participant-profile"),
    path("provisions/<int:provision_id>/follow/", views.provision_follow_view, name="provision-follow"),
]
