; Statements after a jump in the same block or switch group. javac rejects most of them, so
; this shows them while the code is being edited; `System.exit` compiles and is the common case.
; Exit calls (`sys.exit()`, `System.exit()`, `panic()`, ...) come from the code model:
; see detect() in detect.py.

; Jumps. Rooted at the jump, not at its block: a block pattern stays in flight over
; the whole block, once per alternative, and cost a third of the query pass. check()
; keeps the jumps that sit in a statement list (a block or a case).
((return_statement) @_exit . (_) @match)
((throw_statement) @_exit . (_) @match)
((break_statement) @_exit . (_) @match)
((continue_statement) @_exit . (_) @match)
((yield_statement) @_exit . (_) @match)
