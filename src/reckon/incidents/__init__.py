"""Incidents: claims from many reports merged into one record per event."""
