; Statements after a jump in the same statement list (blocks and case clauses).
; check() in detect.py stops the run at a label: `goto` may jump there.

; Jumps
(statement_list
  [(return_statement) (break_statement) (continue_statement) (goto_statement)] @_exit
  .
  (_) @match)

; Calls that never return (keep in step with _EXIT_CALLS in detect.py)
(statement_list
  (expression_statement (call_expression function: (identifier) @_callee)) @_exit
  .
  (_) @match
  (#eq? @_callee "panic"))
(statement_list
  (expression_statement (call_expression function: (selector_expression) @_callee)) @_exit
  .
  (_) @match
  (#any-of? @_callee "os.Exit" "log.Fatal" "log.Fatalf" "log.Fatalln" "log.Panic" "log.Panicf"
    "log.Panicln"))
