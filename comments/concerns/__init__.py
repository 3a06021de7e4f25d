"""Concerns: what groups of comments ask for, and what the commission decided about each.

A concern is attached to the lineages of its provisions, so it survives renumbering. Every
transition is a public audit event; every decision is also a link of the consultation's receipt
chain (comments.chain), so a rationale cannot be rewritten without verification showing it.
"""
