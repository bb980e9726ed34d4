# English pages keep the programme's dd/mm/yyyy paperwork formats.
from drugfree.formats.vi.formats import *  # noqa: F403
