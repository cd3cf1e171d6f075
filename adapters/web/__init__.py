"""The organisers' web dashboard: pages served under ``/dashboard`` by the bot's HTTP server.

Like the chat adapters it only turns requests into the core's queries and use cases and renders
their answers (``render.py``, ``templates/``); who may see what is the core's ``is_admin``.
"""
