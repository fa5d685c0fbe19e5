"""Reports: context (built once) -> render to pdf, html, md, json, ics; forms and charts.
May import store, inputs, evidence, stories, rubric, core.

Reports: one context built from the engine's state, rendered as PDF, HTML, Markdown, JSON
and iCalendar.

- ``context.py``: ``build_context(state)`` -> plain data, the same for every format;
- ``charts.py``: SVG bars, radar, share strip and trend line, drawn by hand;
- ``render.py``: one function per format, ``render_report(state, path, fmt)`` for the CLI;
- ``fetcher.py``: the URL fetcher that reads only files inside the templates folders;
- ``atomic.py``: atomic file writes; ``formats.py``: format names and options.

Nothing is imported here, so ``import assess.report.formats`` stays cheap for the CLI.
"""
