; Statements after a jump in the same block or switch case. The first sibling after the jump is
; captured; check() in detect.py skips comments and hoisted declarations and collects the run.
; Exit calls come from the code model (detect() in detect.py).

; Jumps, each matched alone; check() keeps those in a statement list (`_JUMP_PARENTS`).
((return_statement) @_exit . (_) @match)
((throw_statement) @_exit . (_) @match)
((break_statement) @_exit . (_) @match)
((continue_statement) @_exit . (_) @match)
