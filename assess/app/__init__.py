"""Use cases: one plain function per flow (start, check-in, done, practice, stories, import),
given ``ask``/``say`` callables, plus the state the commands and reports share. No Click.
May import plan, report, store, inputs, evidence, stories, rubric, core.
"""
