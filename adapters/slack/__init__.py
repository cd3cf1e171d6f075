"""The Slack adapter: a slack-bolt ``AsyncApp`` over the core, and a ``ChatPlatform`` for deliveries."""
