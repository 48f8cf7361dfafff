"""The goal agreement: goals and measures per Handlungsfeld, frozen versions, tracking."""
