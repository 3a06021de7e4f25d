"""A consultation's public record as a hash chain: appending links (services), reading and verifying them (selectors).

The hashes and what they cover are pure, in comments/receipts.py.
"""
