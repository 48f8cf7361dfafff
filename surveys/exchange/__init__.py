"""Questionnaire import and export: the versioned JSON format and LimeSurvey ``.lss`` files."""
