"""Why notebook 02 hung headless: nbclient and an ipywidgets Output widget (run to see it).

usage: python scripts/output_widget_stall.py [RUNS] [TIMEOUT]

Runs a three-cell notebook RUNS times (default 15) with nbclient, once with an Output widget
that cells display into (as notebook 02 did: ``with view: clear_output(wait=True); display(...)``)
and once with an HTML widget whose value changes instead. It prints how long each run took.

nbclient mimics a front end for Output widgets: for every output that lands in one it sends
the widget's new state back to the kernel as a ``comm_msg`` on the shell socket, from the
coroutine that reads IOPub, while another coroutine waits on that same socket for the cell's
``execute_reply``. The reply then sometimes goes unnoticed until the wait times out; with
papermill's or nbconvert's default of no timeout, the client waits forever while the kernel is
idle. Measured here 2026-12-02 (TIMEOUT 40 s): 7 of 15 Output-widget runs took the full 40 s,
0 of 15 HTML-widget runs took more than 4 s. The explorer and the notebooks use no Output widget.
"""

from __future__ import annotations

import sys
import time

from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

CELLS = {
    "Output widget": ["out = widgets.Output()\nout",
                      "for i in range(200):\n    with out:\n        clear_output(wait=True)\n        display(i)"],
    "HTML widget": ["out = widgets.HTML()\nout", "for i in range(200):\n    out.value = str(i)"],
}


def run(cells: list[str], timeout: int) -> float:
    notebook = new_notebook(
        cells=[new_code_cell("import ipywidgets as widgets\nfrom IPython.display import display, clear_output"),
               *map(new_code_cell, cells), new_code_cell("print('done')")],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    began = time.monotonic()
    NotebookClient(notebook, timeout=timeout, kernel_name="python3").execute()
    return time.monotonic() - began


def main(argv: list[str]) -> int:
    runs = int(argv[0]) if argv else 15
    timeout = int(argv[1]) if len(argv) > 1 else 40
    for name, cells in CELLS.items():
        times = [run(cells, timeout) for _ in range(runs)]
        stalled = sum(seconds >= timeout - 2 for seconds in times)
        print(f"{name}: {stalled} of {runs} runs waited out the {timeout} s timeout; "
              f"times {', '.join(f'{t:.1f}' for t in times)} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
