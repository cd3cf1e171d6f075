"""One module per kind of activity Teams sends: messages, card actions, installs."""
