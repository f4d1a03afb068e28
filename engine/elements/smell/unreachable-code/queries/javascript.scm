; Statements after a jump in the same block or switch case. The first sibling after the jump is
; captured; check() in detect.py skips comments and hoisted declarations and collects the run.
; Exit calls (`sys.exit()`, `System.exit()`, `panic()`, ...) come from the code model:
; see detect() in detect.py.

; Jumps
(statement_block
  [(return_statement) (throw_statement) (break_statement) (continue_statement)] @_exit
  .
  (_) @match)
(switch_case
  [(return_statement) (throw_statement) (break_statement) (continue_statement)] @_exit
  .
  (_) @match)
(switch_default
  [(return_statement) (throw_statement) (break_statement) (continue_statement)] @_exit
  .
  (_) @match)
