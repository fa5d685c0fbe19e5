"""The yardstick: the rubric's frozen dataclasses, its pydantic file schema, the bundled
rubrics' lookup and views, and the candidate's profile (target level, hours, stages).
May import core.
"""
