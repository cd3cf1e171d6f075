"""Signing in with the chat platform: Slack's OpenID Connect and Discord's OAuth2."""
