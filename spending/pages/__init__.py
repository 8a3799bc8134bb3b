"""Views of the public pages that have their own concept (the scenario explorer, the feed)."""
