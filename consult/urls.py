from django.urls import path

from consult import views

urlpatterns = [
    path("", views.consultation_list_view, name="consultation-list"),
    path("c/<slug:slug>/", views.consultation_detail_view, name="consultation-detail"),
    path("c/<slug:slug>/<slug:document_slug>/v<int:number>/", views.version_reader_view, name="version-reader"),
    path(
        "c/<slug:slug>/<slug:document_slug>/v<int:number>/p/<path:provision_path>/",
        views.provision_detail_view,
        name="provision-detail",
    ),
]
