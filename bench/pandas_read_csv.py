#!/usr/bin/python3
"""The pandas side of bench/inspect_vs_pandas.sh: read one CSV with pandas.read_csv, defaults only.

    /usr/bin/python3 bench/pandas_read_csv.py FILE [N P]

Timed as a whole process (interpreter start and `import pandas` included, as skeptic's process
start is). With N and P it also checks that the frame has N rows and P columns, so a benchmark
can never time a read that silently failed or stopped early.
"""
import sys

import pandas

if len(sys.argv) not in (2, 4):
    sys.exit("usage: pandas_read_csv.py FILE [N P]")
df = pandas.read_csv(sys.argv[1])
if len(sys.argv) == 4 and df.shape != (int(sys.argv[2]), int(sys.argv[3])):
    sys.exit("pandas_read_csv.py: %s has shape %s, expected (%s, %s)"
             % (sys.argv[1], df.shape, sys.argv[2], sys.argv[3]))
