; Go has no exceptions: an error checked and then dropped is the swallowed one.
; `if err != nil { }` (or a body holding only comments) ignores the error it just tested.
(if_statement
  condition: (binary_expression
    left: (identifier) @_err
    operator: "!="
    right: (nil))
  consequence: (block) @_body
  (#match? @_err "^(e|[a-zA-Z]*[eE]rr[a-zA-Z0-9]*)$")
  (#match? @_body "^\\{(\\s|//[^\\n]*|/\\*([^*]|\\*[^/])*\\*/)*\\}$")) @match
