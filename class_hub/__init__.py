"""A class hub: JupyterHub for the course's roster, Studio in miniature.

A hub is a domain, a hub user a user profile, a learner's server a private space with
its own folder, a team's shared server with real-time collaboration a shared space, and
the idle culler is idle shutdown. ``python -m class_hub start --roster CSV`` runs it.
"""
