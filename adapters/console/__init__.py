"""The console adapter: the playground, where one person plays every member of a community."""
