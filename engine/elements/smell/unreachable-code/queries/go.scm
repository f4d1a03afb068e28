; Statements after a jump in the same statement list (blocks and case clauses).
; check() in detect.py stops the run at a label: `goto` may jump there.
; Exit calls (`sys.exit()`, `System.exit()`, `panic()`, ...) come from the code model:
; see detect() in detect.py.

; Jumps. Rooted at the jump, not at its block: a block pattern stays in flight over
; the whole block, once per alternative, and cost a third of the query pass. check()
; keeps the jumps that sit in a statement list (a block or a case).
((return_statement) @_exit . (_) @match)
((break_statement) @_exit . (_) @match)
((continue_statement) @_exit . (_) @match)
((goto_statement) @_exit . (_) @match)
