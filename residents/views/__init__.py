"""The officer's pages over households and people: search, files, forms and lifecycle actions.

One module per concern: search, people, households, lifecycle, situation (drug cases, incidents).
"""
