"""Pages of concerns, one module per page family: the public record, one concern and its decisions, triage."""
