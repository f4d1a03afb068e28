; Statements after a jump in the same statement list (blocks and case clauses).
; check() in detect.py stops the run at a label: `goto` may jump there.
; Exit calls come from the code model (detect() in detect.py).

; Jumps, each matched alone; check() keeps those in a statement list (`_JUMP_PARENTS`).
((return_statement) @_exit . (_) @match)
((break_statement) @_exit . (_) @match)
((continue_statement) @_exit . (_) @match)
((goto_statement) @_exit . (_) @match)
