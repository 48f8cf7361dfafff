"""Analysis of survey responses: tidy frames, statistics, priorities, comparisons, free text.

Pure pandas/numpy/scipy; never imports Flask or ``app``. Start with
:func:`analysis.report.run_full_analysis` and :func:`analysis.questions.moderator_summary`;
every table has passed :func:`analysis.privacy.suppress`.
"""
