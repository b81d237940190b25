"""Planning the tour: recurrence rules, series of stops, conflicts, the planner, the week's route.

Core domain: nothing here imports the other apps. What planning needs to know of workshops and
registrations comes through the small registry in `mediation.planning.registry`.
"""
