"""assess: interview-readiness self-assessment and study planner."""

__version__ = "0.1.0"
