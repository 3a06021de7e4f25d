from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from comments.apis import CommentViewSet, ModerationQueueViewSet, ReceiptViewSet, comments_export_csv, comments_export_jsonl
from comments.campaigns.apis import CampaignViewSet
from comments.concerns.apis import ConcernViewSet, comparative_table_export, summary_table_export
from comments.digests.apis import DigestReportViewSet
from comments.outcomes.apis import MyCommentViewSet
from consult.apis import ConsultationViewSet, FollowViewSet, ProvisionFollowView
from drafts.apis import DocumentViewSet, ProvisionViewSet, VersionViewSet

# The admin signs in through allauth's form, behind the same lockout and limits as every other password check.
admin.site.login = secure_admin_login(admin.site.login)

router = DefaultRouter()
router.register("consultations", ConsultationViewSet, basename="consultation")
router.register("documents", DocumentViewSet, basename="document")
router.register("versions", VersionViewSet, basename="version")
router.register("provisions", ProvisionViewSet, basename="provision")
router.register("comments", CommentViewSet, basename="comment")
router.register("receipts", ReceiptViewSet, basename="receipt")
router.register("moderation", ModerationQueueViewSet, basename="moderation")
router.register("concerns", ConcernViewSet, basename="concern")
router.register("campaigns", CampaignViewSet, basename="campaign")
router.register("reports", DigestReportViewSet, basename="report")
router.register("follows", FollowViewSet, basename="follow")
router.register("me/comments", MyCommentViewSet, basename="my-comment")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/consultations/<slug:slug>/export/comments.csv", comments_export_csv, name="export-comments-csv"),
    path("api/v1/consultations/<slug:slug>/export/comments.jsonl", comments_export_jsonl, name="export-comments-jsonl"),
    path("api/v1/consultations/<slug:slug>/tables/summary.<str:fmt>", summary_table_export, name="table-summary"),
    path(
        "api/v1/consultations/<slug:slug>/tables/<slug:document_slug>/v<int:old_number>-v<int:new_number>.<str:fmt>",
        comparative_table_export, name="table-comparative",
    ),
    path("api/v1/provisions/<int:provision_id>/follow/", ProvisionFollowView.as_view(), name="provision-follow-api"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file, as the Content-Security-Policy requires.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("", include("consult.urls")),
    path("", include("comments.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler500 = "config.views.server_error"
handler404 = "config.views.page_not_found"
handler400 = "config.views.bad_request"
