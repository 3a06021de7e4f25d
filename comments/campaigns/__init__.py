"""Campaigns: identical and near-identical comments (form letters with small personal additions).

`detection` is the pure core (plain data in, frozen dataclasses out, no Django): the batch
grouping `campaigns_detect` and the incremental `CampaignIndex` that assigns one new comment
to its campaign as it arrives.
"""
