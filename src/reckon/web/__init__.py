"""The web app and the published report."""
