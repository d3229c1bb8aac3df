"""Documents -> sentences: cleaning, sentence splitting, the Report container, the pipeline."""
