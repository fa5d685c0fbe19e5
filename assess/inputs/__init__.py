"""The candidate's files read into models: answers files, PDF forms, story files, the export
bundle, the names of form fields. May import evidence, stories, rubric, core.
"""
