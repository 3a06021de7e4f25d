from django.urls import path

from comments import views
from comments.campaigns import views as campaign_views
from comments.concerns.views import decisions, record, triage
from comments.concerns.views import merge_split
from comments.outcomes.views import my_comments_view

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
    path("comments/<int:comment_id>/withdraw/", views.comment_withdraw_view, name="comment-withdraw"),
    path("comments/<int:comment_id>/<slug:action>/", views.comment_action_view, name="comment-action"),
    path("receipts/", views.receipt_lookup_view, name="receipt-lookup"),
    path("receipts/<str:number>/", views.receipt_detail_view, name="receipt-detail"),
]

# Concerns: the public record of what was heard and what changed, and the commission's triage.
urlpatterns += [
    path("c/<slug:slug>/heard/", record.concerns_public_view, name="concerns-public"),
    path("c/<slug:slug>/heard/summary/", record.summary_table_view, name="summary-table"),
    path(
        "c/<slug:slug>/heard/<slug:document_slug>/v<int:old_number>-v<int:new_number>/",
        record.comparative_table_view, name="comparative-table",
    ),
    path(
        "c/<slug:slug>/heard/<slug:document_slug>/v<int:number>/p/<path:provision_path>/",
        record.provision_record_view, name="provision-record",
    ),
    path("c/<slug:slug>/concerns/<int:concern_id>/", decisions.concern_detail_view, name="concern-detail"),
    path("c/<slug:slug>/concerns/<int:concern_id>/decide/", decisions.concern_decide_view, name="concern-decide"),
    path("c/<slug:slug>/concerns/<int:concern_id>/transition/", decisions.concern_transition_view, name="concern-transition"),
    path("c/<slug:slug>/triage/", triage.concern_triage_view, name="concern-triage"),
    path("c/<slug:slug>/concerns/<int:concern_id>/merge/", merge_split.concern_merge_view, name="concern-merge"),
    path("c/<slug:slug>/concerns/<int:concern_id>/split/", merge_split.concern_split_view, name="concern-split"),
]

# Campaigns: form letters, each one point with its number of supporters.
urlpatterns += [
    path("c/<slug:slug>/campaigns/", campaign_views.campaign_list_view, name="campaign-list"),
    path("c/<slug:slug>/campaigns/<int:campaign_id>/", campaign_views.campaign_detail_view, name="campaign-detail"),
]

# The signed-in participant's own comments and what became of them.
urlpatterns += [path("me/comments/", my_comments_view, name="my-comments")]

# Digest reports: the consultation's reports, one report with its progress and downloads, the public checkpoints.
from comments.digests import views as digest_views  # noqa: E402

urlpatterns += [
    path("c/<slug:slug>/reports/", digest_views.digest_list_view, name="digest-list"),
    path("c/<slug:slug>/reports/checkpoints/", digest_views.digest_checkpoints_view, name="digest-checkpoints"),
    path("c/<slug:slug>/reports/<int:report_id>/", digest_views.digest_detail_view, name="digest-detail"),
    path("c/<slug:slug>/reports/<int:report_id>/status/", digest_views.digest_status_view, name="digest-status"),
    path("c/<slug:slug>/reports/<int:report_id>/retry/", digest_views.digest_retry_view, name="digest-retry"),
    path("c/<slug:slug>/reports/<int:report_id>/publish/", digest_views.digest_publish_view, name="digest-publish"),
    path("c/<slug:slug>/reports/<int:report_id>/<str:format>/", digest_views.digest_download_view, name="digest-download"),
]
