"""What became of a participant's own comments: the concerns they are behind, the decisions, and their provisions in later versions."""
