from django.urls import path

from comments import views

urlpatterns = [
    path("c/<slug:slug>/<slug:document_slug>/v<int:number>/", views.version_reader_view, name="version-reader"),
    path(
        "c/<slug:slug>/<slug:document_slug>/v<int:number>/p/<path:provision_path>/",
        views.provision_detail_view,
        name="provision-detail",
    ),
]
