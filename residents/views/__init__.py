"""The officer's pages about households and people: search, files, forms and lifecycle actions.

One module per concern: search, people, households, lifecycle, situation (drug cases, incidents).
"""
