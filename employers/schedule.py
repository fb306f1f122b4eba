# Working-time windows live in momjobs/lib/schedule.py: seekers' free hours (momjobs.users) use
# them too, and momjobs apps may not import employers. Kept here for the supply side's imports.
from momjobs.lib.schedule import *  # noqa: F403
from momjobs.lib.schedule import __all__  # noqa: F401
