from .context import Context
from .retriever import Mode, Ranked, Retriever
from .scope import Boost, Filters

__all__ = ["Boost", "Context", "Filters", "Mode", "Ranked", "Retriever"]
