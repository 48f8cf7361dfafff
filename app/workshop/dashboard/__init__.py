"""The moderators' dashboard: the analysis per survey and filter (cached), its tables,
figures and pages."""
