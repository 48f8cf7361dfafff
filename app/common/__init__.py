"""Parts several blueprints share: field errors of question forms, display labels, the
rate-limit key, form error grouping. Blueprints import from here, never from each other."""
