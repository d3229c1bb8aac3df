"""Sentences -> claims: events, counts, dates, actors, sources, locations."""
