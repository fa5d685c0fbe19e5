"""What the candidate has shown: scoring (readiness, gaps), attempts, grades and FSRS.
Pure. May import rubric and core.
"""
