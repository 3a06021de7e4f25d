from django.urls import path

from consult import views

urlpatterns = [
    path("", views.consultation_list_view, name="consultation-list"),
    path("c/<slug:slug>/", views.consultation_detail_view, name="consultation-detail"),
]
