"""Victims: named victim lists, name normalisation and record linkage."""
