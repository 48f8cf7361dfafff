"""Zielvereinbarung domain: goals and measures, versions, tracking, CSV, votes, exports.

Flask-free: functions take a ``SessionLike`` and plain values, flush but never commit.
"""
