"""Estimates: multiple systems estimation of the total number killed."""
