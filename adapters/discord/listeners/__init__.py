"""One module per kind of incoming request: slash commands, button presses, form submissions."""
