; Statements after a jump in the same block or switch group. javac rejects most of them, so
; this shows them while the code is being edited; `System.exit` compiles and is the common case.
; Exit calls (`sys.exit()`, `System.exit()`, `panic()`, ...) come from the code model:
; see detect() in detect.py.

; Jumps
(block
  [(return_statement) (throw_statement) (break_statement) (continue_statement)
   (yield_statement)] @_exit
  .
  (_) @match)
(switch_block_statement_group
  [(return_statement) (throw_statement) (break_statement) (continue_statement)
   (yield_statement)] @_exit
  .
  (_) @match)
