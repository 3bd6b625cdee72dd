"""Answer plain questions from the knowledge base, citing the sentences the answer rests on.

    from diplograph.store import Store
    from diplograph.qa import ask
    answer = ask("When did China and North Korea renew their treaty?", Store("kb.db"))
    answer.answer, answer.value, answer.citations[0].sentence
"""
from diplograph.qa.answer import NOT_FOUND, Answer, Citation, not_found
from diplograph.qa.ask import ask

__all__ = ["ask", "Answer", "Citation", "NOT_FOUND", "not_found"]
