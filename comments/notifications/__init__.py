"""E-mail about comments, through an outbox written in the same transaction as what caused it."""
