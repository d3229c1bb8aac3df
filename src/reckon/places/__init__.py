"""Places: gazetteer, transliteration-aware matching and geocoding of location mentions."""
