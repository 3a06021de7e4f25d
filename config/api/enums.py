"""Choice sets that the OpenAPI schema names (SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]), where one field name
(`status`, `kind`) holds several sets: without a name drf-spectacular makes one up ("Status43eEnum"). Import
paths cannot reach a model's nested choices, hence these aliases."""
from comments.models import Receipt, Report
from drafts.models import DraftVersion, ProvisionChange

VersionStatus = DraftVersion.Status
ReceiptKind = Receipt.Kind
ReportStatus = Report.Status
ChangeKind = ProvisionChange.Kind
