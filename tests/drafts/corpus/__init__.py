"""Test data for the alignment (written for these tests) and small helpers to read it."""
