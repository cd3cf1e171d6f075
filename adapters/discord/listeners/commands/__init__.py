"""The ``/unmentor`` and ``/unmentor-admin`` command groups, one thin cog each."""
