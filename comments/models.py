"""Comments, receipts, moderation and concerns arrive with the public-comment issue."""
