"""What the drafts app tells the apps above it, without knowing them (DESIGN.md: drafts imports neither
consult nor comments; they listen here).
"""
from django.dispatch import Signal

# Sent by drafts.services.draft_version_publish inside its transaction, once the version is published and
# its provisions carry the lineages of the provisions they continue. Keyword arguments:
#   version: the DraftVersion just published;
#   alignment: its Alignment (DONE) with the previous public version, whose ProvisionChanges say what became
#              of each provision of that version; None for a document's first version.
# Receivers record derived work in the same transaction and queue it after commit (config.tasks); they
# send nothing themselves. A receiver that raises rolls the publication back, so they do little.
version_published = Signal()
