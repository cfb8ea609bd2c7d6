"""Extractive answering: question typing, candidate spans, scoring, conflicts, abstention."""

from qa.answer.answerer import MIN_CONFIDENCE, Answerer
from qa.answer.question import QuestionAnalysis, Term, TermRole, UnitClass, analyze_question

__all__ = [
    "MIN_CONFIDENCE",
    "Answerer",
    "QuestionAnalysis",
    "Term",
    "TermRole",
    "UnitClass",
    "analyze_question",
]
