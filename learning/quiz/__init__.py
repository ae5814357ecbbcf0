"""The quiz engine: questions read from a quiz revision, drawing, answer parsing, grading.

Nothing in here touches the request; `learning.services` wraps it in transactions and locks.
"""

from .drawing import draw, paper
from .grading import grade_attempt
from .parsing import TamperedAnswer, parse_answers
from .questions import Question, in_words_of, questions_of

__all__ = [
    "Question",
    "TamperedAnswer",
    "draw",
    "grade_attempt",
    "in_words_of",
    "paper",
    "parse_answers",
    "questions_of",
]
