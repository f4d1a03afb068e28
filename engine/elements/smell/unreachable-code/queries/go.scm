; Statements after a jump in the same statement list (blocks and case clauses).
; check() in detect.py stops the run at a label: `goto` may jump there.
; Exit calls (`sys.exit()`, `System.exit()`, `panic()`, ...) come from the code model:
; see detect() in detect.py.

; Jumps
(statement_list
  [(return_statement) (break_statement) (continue_statement) (goto_statement)] @_exit
  .
  (_) @match)
