"""Survey domain: models, questionnaire rules, responses, import/export; never imports Flask."""
