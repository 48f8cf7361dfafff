"""Live prioritisation: the moderator's vote and the participants' ballot on their phones."""
