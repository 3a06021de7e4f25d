from django.urls import path

from comments import views

urlpatterns = [
    # Before provision-detail, whose <path:> would otherwise swallow ".../comment/".
    path(
        "c/<slug:slug>/<slug:document_slug>/v<int:number>/p/<path:provision_path>/comment/",
        views.comment_create_view,
        name="comment-create",
    ),
    path("c/<slug:slug>/<slug:document_slug>/v<int:number>/", views.version_reader_view, name="version-reader"),
    path(
        "c/<slug:slug>/<slug:document_slug>/v<int:number>/p/<path:provision_path>/",
        views.provision_detail_view,
        name="provision-detail",
    ),
]

urlpatterns += [
    path("c/<slug:slug>/moderation/", views.moderation_queue_view, name="moderation-queue"),
    path("comments/<int:comment_id>/edit/", views.comment_edit_view, name="comment-edit"),
    path("comments/<int:comment_id>/endorse/", views.comment_endorse_view, name="comment-endorse"),
    path("comments/<int:comment_id>/unendorse/", views.comment_unendorse_view, name="comment-unendorse"),
    path("comments/<int:comment_id>/withdraw/", views.comment_withdraw_view, name="comment-withdraw"),
    path("comments/<int:comment_id>/report/", views.comment_report_view, name="comment-report"),
    path("comments/<int:comment_id>/hide/", views.comment_hide_view, name="comment-hide"),
    path("comments/<int:comment_id>/restore/", views.comment_restore_view, name="comment-restore"),
    path("comments/<int:comment_id>/dismiss-reports/", views.comment_reports_dismiss_view, name="comment-dismiss-reports"),
    path("receipts/", views.receipt_lookup_view, name="receipt-lookup"),
    path("receipts/<str:number>/", views.receipt_detail_view, name="receipt-detail"),
]
