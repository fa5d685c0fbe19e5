"""Behavioural stories: the STAR rules (critique, coverage) and their terminal views.
May import rubric and core.
"""
