"""Facilitator briefs for leadership dialogues: a theme in, cited key points, figures, who does what,
discussion questions and scenarios out, exported as Markdown or Word.

themes (what a theme means in the documents) → select (the paragraphs and sentences worth quoting) →
actors (who does what) → discuss (questions and scenarios) → make (the checked `Brief`) → render / export.
"""

from assistant.brief.make import make_brief, run_brief

__all__ = ["make_brief", "run_brief"]
