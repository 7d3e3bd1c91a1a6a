from .retriever import Filters, Mode, Ranked, Retriever

__all__ = ["Filters", "Mode", "Ranked", "Retriever"]
