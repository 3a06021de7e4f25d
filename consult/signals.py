"""What the consult app tells the apps above it, without knowing them (DESIGN.md: consult does not import comments;
comments listens here, as it does to drafts.signals).
"""
from django.dispatch import Signal

# Sent by consult.services.phase_close inside its transaction, once the phase's new end is saved. Keyword arguments:
#   phase: the Phase, with its new closes_at (which may still lie in the future if it was closed at a later instant).
# Receivers record derived work in the same transaction and queue it after commit (config.tasks); a receiver that
# raises rolls the close back, so they do little.
phase_closed = Signal()
