"""Command-line programs and the scripts that set up, test, fuzz and demo Starling."""
