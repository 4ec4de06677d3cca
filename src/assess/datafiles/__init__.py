"""The only readers of the files under data/: one checker toolkit and one parser per format."""
