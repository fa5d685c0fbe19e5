"""The plan: its model, calendar, sessions, weeks and days, the planner and the terminal view.
Pure functions of ratings, evidence and the calendar. May import evidence, stories, rubric,
core (never the store, never a report).
"""
