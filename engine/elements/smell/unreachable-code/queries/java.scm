; Statements after a jump in the same block or switch group. javac rejects most of them, so
; this shows them while the code is being edited; `System.exit` compiles and is the common case.
; Exit calls come from the code model (detect() in detect.py).

; Jumps, each matched alone; check() keeps those in a statement list (`_JUMP_PARENTS`).
((return_statement) @_exit . (_) @match)
((throw_statement) @_exit . (_) @match)
((break_statement) @_exit . (_) @match)
((continue_statement) @_exit . (_) @match)
((yield_statement) @_exit . (_) @match)
