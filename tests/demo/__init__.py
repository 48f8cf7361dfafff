"""Tests of the demo package: seeding, languages, the postal demo, the workshop demo."""
