"""The `starling` command: one entry point, one module per subcommand."""
