"""Moderation: reports from readers, hiding and restoring comments, and the commission's queue. Nothing is deleted."""
